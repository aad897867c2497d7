/// A web PKI leaf is a subscriber certificate (Baseline Requirements 7.1.2.7): not a CA, named
/// in a subjectAltName (the subject alone names nothing a verifier matches), and that
/// subjectAltName is critical only when the subject is empty (RFC 5280 4.2.1.6).
public struct WebPKIEndEntityRule: PathRule {
    public static let id = "webpki-end-entity"
    public static let judgesTheLeafOnly = true

    /// The rule has no settings.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        let leaf = path.leaf
        var failures = [VerificationFailure]()
        if leaf.isCA {
            failures.append(failure(.malformed, "the leaf \(leaf.subject) is a CA (basicConstraints cA)", depth: 0))
        }
        if leaf.subjectAlternativeNames.isEmpty {
            failures.append(failure(.malformed, "the leaf \(leaf.subject) has no subjectAltName", depth: 0))
        } else if !leaf.subject.isEmpty, leaf.extension(CertificateExtension.subjectAltName)?.critical == true {
            failures.append(
                failure(.malformed, "the leaf \(leaf.subject) marks subjectAltName critical beside a subject", depth: 0)
            )
        }
        return failures
    }
}
