/// The little DER dbpki writes itself (string values, INTEGERs handed to an engine),
/// shared by both engines so they encode the same bytes.
public enum DERWriter {
    /// The DER length octets for `count` content bytes (definite, minimal).
    public static func length(_ count: Int) -> [UInt8] {
        guard count >= 0x80 else { return [UInt8(count)] }
        var bytes = [UInt8]()
        var rest = count
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xff), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    /// One complete element: identifier octet, length, content.
    public static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + length(content.count) + content }
}

extension DERReader {
    /// An OBJECT IDENTIFIER's content octets as dotted text (`invalid` when an arc overflows).
    public static func objectIdentifierText(_ content: [UInt8]) -> String {
        var arcs = [String]()
        var value: UInt64 = 0
        var first = true
        for byte in content {
            guard value >> 57 == 0 else { return "invalid" }
            value = value << 7 | UInt64(byte & 0x7f)
            guard byte & 0x80 == 0 else { continue }
            if first {
                let top: UInt64 = value < 40 ? 0 : (value < 80 ? 1 : 2)
                arcs.append(String(top))
                arcs.append(String(value - top * 40))
                first = false
            } else {
                arcs.append(String(value))
            }
            value = 0
        }
        return arcs.joined(separator: ".")
    }
}
