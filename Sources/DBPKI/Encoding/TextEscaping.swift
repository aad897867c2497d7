/// Text from inputs (names, file contents, arguments) made safe to print on a terminal.
public enum TextEscaping {
    /// `text` with C0 and C1 control characters and DEL shown as `\xNN` (`\u{NNNN}` above
    /// 0xff), so printing it never moves the cursor, clears a line or starts an escape
    /// sequence. With a `limit`, text longer than that many characters is cut and says how
    /// long it was, so a 70,000-character name does not flood an error line.
    public static func printable(_ text: String, limit: Int? = nil) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if let limit, count == limit {
                return out + "… (\(text.unicodeScalars.count) characters)"
            }
            count += 1
            switch scalar.value {
            case 0..<0x20, 0x7f..<0xa0: out += "\\x" + Hex.encode([UInt8(scalar.value)])
            case 0x2028, 0x2029, 0x202a...0x202e, 0x2066...0x2069:
                // Line separators and bidirectional overrides reorder or break what a reader sees.
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
