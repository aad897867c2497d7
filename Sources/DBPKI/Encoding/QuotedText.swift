/// Text quoted for the formats dbpki writes by hand (reports, configs), so a name or a
/// path with quotes, backslashes or control characters can neither break nor inject into
/// the file.
enum QuotedText {
    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    static func json(_ value: String) -> String {
        // Most values (names, hex, dates) need no escaping: skip the per-scalar rebuild.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c || $0 == 0x7f }) {
            return "\"" + value + "\""
        }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0"..."\u{1f}", "\u{7f}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

}
