import DBPKI
import Foundation
import Testing

/// The core states facts; only the CLI names its flags and commands (through ``Remedy``).
@Suite("The core's errors speak types, not the command line")
struct CoreWordingTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/DBPKI").standardizedFileURL

    @Test("no error message in the core names a command-line flag or a dbpki command")
    func messagesNameNoFlags() throws {
        let files = try #require(FileManager.default.enumerator(atPath: Self.sources.path))
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 50)
        var offenders = [String]()
        for file in files {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8)
            var rest = text[...]
            while let start = rest.range(of: "PKIError(") {
                for literal in Self.stringLiterals(inCallAt: rest[start.upperBound...])
                where literal.range(of: #"(^|[ (])--[a-z]"#, options: .regularExpression) != nil
                    || literal.contains("'dbpki ")
                {
                    offenders.append("\(file): \(literal)")
                }
                rest = rest[start.upperBound...]
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    /// The string literals among a call's arguments, up to its closing parenthesis
    /// (interpolations are kept as text; nested calls are skipped over by depth).
    static func stringLiterals(inCallAt text: Substring) -> [String] {
        var literals = [String]()
        var depth = 1
        var current: String?
        var previous: Character = " "
        for character in text {
            if var literal = current {
                if character == "\"" && previous != "\\" {
                    literals.append(literal)
                    current = nil
                } else {
                    literal.append(character)
                    current = literal
                }
            } else if character == "\"" {
                current = ""
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth -= 1
                if depth == 0 { break }
            }
            previous = character
        }
        return literals
    }
}
