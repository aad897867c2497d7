/// RFC 5280 sections 4.2.1.1 and 4.2.1.2: every certificate but a self-signed one names
/// its issuer's key (authorityKeyIdentifier), every CA names its own key
/// (subjectKeyIdentifier), and neither extension is critical. A trust anchor need not
/// name its issuer: it is trusted as configured, whoever signed it.
public struct KeyIdentifierRule: PathRule {
    public static let id = "key-identifiers"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        var failures = [VerificationFailure]()
        let anchorDepth = path.endsAtTrustAnchor ? path.certificates.count - 1 : -1
        for (depth, certificate) in path.certificates.enumerated() {
            let aki = certificate.extension(CertificateExtension.authorityKeyIdentifier)
            let ski = certificate.extension(CertificateExtension.subjectKeyIdentifier)
            if aki == nil && !certificate.isSelfIssued && depth != anchorDepth {
                failures.append(
                    failure(.malformed, "\(certificate.subject) has no authorityKeyIdentifier", depth: depth))
            }
            if aki?.critical == true {
                failures.append(
                    failure(.malformed, "\(certificate.subject) marks authorityKeyIdentifier critical", depth: depth))
            }
            if ski == nil && certificate.isCA {
                failures.append(
                    failure(.malformed, "CA \(certificate.subject) has no subjectKeyIdentifier", depth: depth))
            }
            if ski?.critical == true {
                failures.append(
                    failure(.malformed, "\(certificate.subject) marks subjectKeyIdentifier critical", depth: depth))
            }
        }
        return failures
    }
}
