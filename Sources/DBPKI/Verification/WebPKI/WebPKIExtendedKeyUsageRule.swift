/// extendedKeyUsage as web PKI verifiers require it (Baseline Requirements 7.1.2.7.10,
/// 7.1.2.10.6): a leaf carries one, never marked critical and never anyExtendedKeyUsage (a
/// leaf good for every purpose is good for none the BRs allow); a CA's, when present, is
/// not critical either.
public struct WebPKIExtendedKeyUsageRule: PathRule {
    public static let id = "webpki-extended-key-usage"
    public static let judgesTheLeafOnly = true

    /// anyExtendedKeyUsage (RFC 5280 4.2.1.12).
    static let anyExtendedKeyUsage = "2.5.29.37.0"

    /// The rule has no settings.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        var failures = [VerificationFailure]()
        let leaf = path.leaf
        if leaf.extendedKeyUsage == nil {
            failures.append(failure(.purposeMismatch, "the leaf \(leaf.subject) has no extendedKeyUsage", depth: 0))
        }
        if leaf.extendedKeyUsage?.contains(Self.anyExtendedKeyUsage) == true {
            failures.append(failure(.purposeMismatch, "the leaf \(leaf.subject) asserts anyExtendedKeyUsage", depth: 0))
        }
        for (depth, certificate) in path.belowTrustAnchor
        where certificate.extension(CertificateExtension.extendedKeyUsage)?.critical == true {
            failures.append(
                failure(.malformed, "\(certificate.subject) marks extendedKeyUsage critical", depth: depth))
        }
        return failures
    }
}
