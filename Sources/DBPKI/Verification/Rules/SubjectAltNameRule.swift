/// The leaf's names must be well formed before any matching: dNSNames are LDH host names
/// (a wildcard only as a whole left-most label; no underscores, no leading dot), an
/// rfc822Name is one local part and one domain, an iPAddress is 4 or 16 octets (RFC 5280
/// 4.2.1.6).
public struct SubjectAltNameRule: PathRule {
    public static let id = "subject-alt-name"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        path.leaf.subjectAlternativeNames.compactMap { name in
            let problem: String?
            switch name {
            case .dns(let host): problem = DNSName.isValid(host) ? nil : "dNSName '\(host)' is not a valid host name"
            case .email(let address):
                problem = Self.isValidMailbox(address) ? nil : "rfc822Name '\(address)' is malformed"
            case .other(tag: 7): problem = "an iPAddress name is neither 4 nor 16 octets"
            default: problem = nil
            }
            return problem.map { failure(.malformed, $0, depth: 0) }
        }
    }

    static func isValidMailbox(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            return false
        }
        return DNSName.isValid(String(parts[1])) && !parts[1].hasPrefix("*")
    }
}
