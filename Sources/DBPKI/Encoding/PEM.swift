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
        bytes.count >= 11 && String(decoding: bytes.prefix(1 << 20), as: UTF8.self).contains("-----BEGIN ")
    }

    /// Decodes every block. Text outside blocks (comments, `Bag Attributes`) is
    /// ignored; a block that is unterminated, has a mismatched END label, carries
    /// RFC 1421 headers (legacy encrypted keys) or bad base64 is an error.
    public static func decode(_ bytes: [UInt8]) throws -> [Block] {
        guard !bytes.contains(0) else { throw PKIError(.invalidInput, "not PEM: contains NUL bytes") }
        let text = String(decoding: bytes, as: UTF8.self)
        var blocks = [Block]()
        var label: String?
        var body = ""
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r")))
            if let current = label {
                if line.hasPrefix("-----END ") {
                    guard line == "-----END \(current)-----" else {
                        throw PKIError(.invalidInput, "PEM line \(lineNumber): END does not match BEGIN \(current)")
                    }
                    guard let der = Data(base64Encoded: body), !der.isEmpty else {
                        throw PKIError(.invalidInput, "PEM block \(current) ending at line \(lineNumber): bad base64")
                    }
                    blocks.append(Block(label: current, der: [UInt8](der)))
                    label = nil
                    body = ""
                } else if line.contains(":") {
                    throw PKIError(
                        .unsupported, "PEM block \(current): RFC 1421 headers (legacy encrypted keys) are not supported"
                    )
                } else if line.hasPrefix("-----") {
                    throw PKIError(.invalidInput, "PEM line \(lineNumber): BEGIN \(current) has no END")
                } else {
                    body += line
                }
            } else if line.hasPrefix("-----BEGIN ") {
                guard line.hasSuffix("-----"), line.count > 16 else {
                    throw PKIError(.invalidInput, "PEM line \(lineNumber): malformed BEGIN line")
                }
                label = String(line.dropFirst(11).dropLast(5))
            }
        }
        if let label { throw PKIError(.invalidInput, "PEM block \(label) is truncated (no END line)") }
        return blocks
    }

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
