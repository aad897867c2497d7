/// Lowercase hex, as dbpki prints serials and fingerprints.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Every byte as two lowercase hex digits, no separators.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes as an unsigned integer in hex: no leading zeros, `0` for zero.
    public static func integer(_ bytes: [UInt8]) -> String {
        let trimmed = encode(Array(bytes.drop(while: { $0 == 0 })))
        guard let first = trimmed.firstIndex(where: { $0 != "0" }) else { return "0" }
        return String(trimmed[first...])
    }

    /// Decodes hex (colons and spaces allowed between bytes); nil for anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        let clean = text.filter { $0 != ":" && $0 != " " }
        guard clean.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        var index = clean.startIndex
        while index < clean.endIndex {
            let next = clean.index(index, offsetBy: 2)
            guard let byte = UInt8(clean[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
