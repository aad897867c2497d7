/// Checks for DNS names that go into certificates.
public enum DNSName {
    /// True for a host name of LDH labels (letters, digits, hyphens; 1-63 characters,
    /// not starting or ending with a hyphen), at most 253 characters, optionally with a
    /// wildcard as the whole left-most label (`*.example.com`) and a trailing dot.
    public static func isValid(_ name: String) -> Bool {
        var labels = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if labels.last == "" && labels.count > 1 { labels.removeLast() }
        guard !labels.isEmpty, name.utf8.count <= 253 else { return false }
        if labels.first == "*" && labels.count >= 3 { labels.removeFirst() }
        return labels.allSatisfy { label in
            guard (1...63).contains(label.utf8.count), !label.hasPrefix("-"), !label.hasSuffix("-") else {
                return false
            }
            return label.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
            }
        }
    }
}
