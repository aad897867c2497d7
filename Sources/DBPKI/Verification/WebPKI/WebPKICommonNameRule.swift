/// A leaf's common name, when present, repeats one of its subjectAltNames exactly (Baseline
/// Requirements 7.1.4.3): a host name as a dNSName (ASCII case-insensitively; a Unicode CN
/// does not stand for its punycode SAN), an IPv4 address in dotted decimal and an IPv6
/// address in RFC 5952 form as an iPAddress (no leading zeros, no hex octets, no
/// uncompressed IPv6).
public struct WebPKICommonNameRule: PathRule {
    public static let id = "webpki-common-name"
    public static let judgesTheLeafOnly = true

    /// The rule has no settings.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        guard let names = path.names[0] else { return [] }
        let sans = names.alternativeNames ?? []
        var failures = [VerificationFailure]()
        for case .text(let common) in names.subject.values(of: DirectoryName.commonName) {
            if !Self.matches(common, sans) {
                failures.append(
                    failure(
                        .malformed,
                        "the common name '\(TextEscaping.printable(common))' is not one of the leaf's subjectAltNames",
                        depth: 0))
            }
        }
        return failures
    }

    static func matches(_ common: String, _ sans: [GeneralName]) -> Bool {
        if let address = IPAddress(common) {
            // The text must be the address's one canonical form (IPv6 hex digits in either case).
            guard address.description == (address.isIPv4 ? common : common.lowercased()) else { return false }
            return sans.contains(.ip(address.bytes))
        }
        guard common.allSatisfy(\.isASCII) else { return false }
        return sans.contains { name in
            if case .dns(let host) = name { return host.lowercased() == common.lowercased() }
            return false
        }
    }
}
