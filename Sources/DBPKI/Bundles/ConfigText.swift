/// Quoting for the configuration files dbpki writes, so a path with spaces or
/// quotes cannot break (or inject into) a config.
public enum ConfigText {
    /// A YAML double-quoted scalar: YAML 1.2 reads every JSON string literal as one, with the
    /// same escapes, so the JSON quoting serves.
    static func yaml(_ value: String) -> String { QuotedText.json(value) }

    /// A redis.conf argument: bare when safe, else double-quoted with escapes.
    static func redis(_ value: String) -> String {
        let safe =
            !value.isEmpty
            && value.unicodeScalars.allSatisfy {
                $0.isASCII && $0.value > 0x20 && !"\"'\\#".unicodeScalars.contains($0)
            }
        return safe ? value : yaml(value)
    }

    /// Refuses values stunnel cannot represent (it has no quoting): line breaks and leading/trailing blanks.
    static func stunnel(_ value: String) throws -> String {
        guard !value.contains(where: { $0.isNewline }), value.trimmingCharacters(in: .whitespaces) == value else {
            throw PKIError(.invalidArgument, "'\(value)' cannot be written into stunnel.conf")
        }
        return value
    }

    /// Checks `--server-dir`, the folder the server files will be installed in, which the
    /// configs name: absolute (mongod and redis-server resolve relative paths against their
    /// own working directory, redis after changing to its `dir`), and free of what one of
    /// the three config syntaxes cannot carry (stunnel has no quoting; a quote, backslash,
    /// `#` or `;` reads as quoting or a comment somewhere; control characters end lines).
    /// Returns it without a trailing slash.
    public static func installDirectory(_ path: String) throws -> String {
        let shown = TextEscaping.printable(path, limit: 64)
        guard path.hasPrefix("/") else {
            throw PKIError(
                .invalidArgument,
                "the server directory '\(shown)' is relative: give the absolute path the files will have on the server")
        }
        if let bad = path.unicodeScalars.first(where: {
            $0.value < 0x20 || (0x7f..<0xa0).contains($0.value) || "\"'\\#;`$".unicodeScalars.contains($0)
        }) {
            let what = bad.value < 0x20 || bad.value >= 0x7f ? "a control character" : "'\(bad)'"
            throw PKIError(
                .invalidArgument,
                "the server directory '\(shown)' contains \(what), which the server configs cannot carry")
        }
        guard path.trimmingCharacters(in: .whitespaces) == path else {
            throw PKIError(
                .invalidArgument, "the server directory '\(shown)' ends with a blank, which stunnel.conf would drop")
        }
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }
}
