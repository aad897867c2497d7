/// Quoting for the configuration files dbpki writes, so a path with spaces or
/// quotes cannot break (or inject into) a config.
enum ConfigText {
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
}
