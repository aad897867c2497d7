import Foundation

/// PEM (RFC 7468) reading and writing, done in Swift in front of the engines so
/// that both see exactly the same DER.
public enum PEM {
    /// One `-----BEGIN label-----` ... `-----END label-----` block.
    public struct Block: Sendable, Hashable {
        /// The label, such as `CERTIFICATE`.
        public var label: String
        /// The decoded body.
        public var der: [UInt8]

        /// Makes a block.
        public init(label: String, der: [UInt8]) {
            self.label = label
            self.der = der
        }
    }

    /// True when the bytes contain a PEM begin line.
    public static func looksLikePEM(_ bytes: [UInt8]) -> Bool {
        let marker = beginPrefix
        guard bytes.count >= marker.count else { return false }
        return bytes.indices.dropLast(marker.count - 1).contains {
            bytes[$0] == 0x2d && bytes[$0...].starts(with: marker)
        }
    }

    /// Decodes every block. Text outside blocks (comments, `Bag Attributes`) is
    /// ignored; a block that is unterminated, has a mismatched END label, carries
    /// RFC 1421 headers (legacy encrypted keys) or bad base64 is an error.
    ///
    /// Works on bytes, line by line, so large bundles decode in time linear in their size.
    public static func decode(_ bytes: [UInt8]) throws -> [Block] {
        var outside: [StrayText]? = nil
        return try decode(bytes, outside: &outside)
    }

    /// Non-blank text outside every block: the lines from `firstLine` (1-based) on, one
    /// run per stretch of consecutive lines.
    public struct StrayText: Sendable {
        /// The number of the run's first line.
        public var firstLine: Int
        /// The lines, trimmed of surrounding blanks.
        public var lines: [[UInt8]]
    }

    /// ``decode(_:)``, also returning the text outside the blocks, for readers that must
    /// refuse anything but clean blocks (a download checked before it ships).
    public static func decodeWithStrayText(_ bytes: [UInt8]) throws -> (blocks: [Block], outside: [StrayText]) {
        var outside: [StrayText]? = []
        let blocks = try decode(bytes, outside: &outside)
        return (blocks, outside ?? [])
    }

    private static func decode(_ bytes: [UInt8], outside: inout [StrayText]?) throws -> [Block] {
        guard !bytes.contains(0) else { throw PKIError(.invalidInput, "not PEM: contains NUL bytes") }
        var blocks = [Block]()
        var lastStrayLine = -1
        var label: [UInt8]?
        var body = [UInt8]()
        var lineNumber = 0
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: 0x0a) ?? bytes.endIndex
            lineNumber += 1
            let line = trimmed(bytes[start..<end])
            start = end + 1
            if let current = label {
                if line.starts(with: endPrefix) {
                    guard line.elementsEqual(endPrefix + current + dashes) else {
                        throw PKIError(
                            .invalidInput, "PEM line \(lineNumber): END does not match BEGIN \(text(current))")
                    }
                    guard let der = Data(base64Encoded: Data(body)), !der.isEmpty else {
                        throw PKIError(
                            .invalidInput, "PEM block \(text(current)) ending at line \(lineNumber): bad base64")
                    }
                    blocks.append(Block(label: text(current), der: [UInt8](der)))
                    label = nil
                    body.removeAll(keepingCapacity: true)
                } else if line.contains(0x3a) {  // ':'
                    throw PKIError(
                        .unsupported,
                        "PEM block \(text(current)): RFC 1421 headers (legacy encrypted keys) are not supported")
                } else if line.starts(with: dashes) {
                    throw PKIError(.invalidInput, "PEM line \(lineNumber): BEGIN \(text(current)) has no END")
                } else {
                    body += line
                }
            } else if line.starts(with: beginPrefix) {
                guard line.count > beginPrefix.count + dashes.count, line.suffix(dashes.count).elementsEqual(dashes)
                else {
                    throw PKIError(.invalidInput, "PEM line \(lineNumber): malformed BEGIN line")
                }
                label = Array(line.dropFirst(beginPrefix.count).dropLast(dashes.count))
            } else if !line.isEmpty, outside != nil {
                if lastStrayLine == lineNumber - 1, !outside!.isEmpty {
                    outside![outside!.count - 1].lines.append(Array(line))
                } else {
                    outside!.append(StrayText(firstLine: lineNumber, lines: [Array(line)]))
                }
                lastStrayLine = lineNumber
            }
        }
        if let label { throw PKIError(.invalidInput, "PEM block \(text(label)) is truncated (no END line)") }
        return blocks
    }

    private static let dashes = Array("-----".utf8)
    private static let beginPrefix = Array("-----BEGIN ".utf8)
    private static let endPrefix = Array("-----END ".utf8)

    /// The line without surrounding spaces, tabs and carriage returns.
    private static func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0d }
        guard let first = line.firstIndex(where: { !isBlank($0) }), let last = line.lastIndex(where: { !isBlank($0) })
        else { return [] }
        return line[first...last]
    }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Encodes one block with 64-column base64 lines and a final newline.
    public static func encode(label: String, der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString()
        var out = "-----BEGIN \(label)-----\n"
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            out += base64[index..<end] + "\n"
            index = end
        }
        return out + "-----END \(label)-----\n"
    }
}
