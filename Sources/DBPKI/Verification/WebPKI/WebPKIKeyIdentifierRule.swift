/// Key identifiers as the Baseline Requirements shape them (7.1.2.1.3, 7.1.2.11.1): below the
/// trust anchor every certificate names its issuer's key by keyIdentifier alone (no
/// authorityCertIssuer or authorityCertSerialNumber); a root that carries an
/// authorityKeyIdentifier at all gives only a keyIdentifier, equal to its own subjectKeyIdentifier.
public struct WebPKIKeyIdentifierRule: PathRule {
    public static let id = "webpki-key-identifiers"

    /// The rule has no settings.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        var failures = [VerificationFailure]()
        for (depth, certificate) in path.certificates.enumerated() {
            let isAnchor = path.endsAtTrustAnchor && depth == path.certificates.count - 1
            guard let extensions = path.rawExtensions[depth] else { continue }
            guard let found = extensions[CertificateExtension.authorityKeyIdentifier] else {
                if !isAnchor {
                    failures.append(
                        failure(.malformed, "\(certificate.subject) has no authorityKeyIdentifier", depth: depth))
                }
                continue
            }
            var fields = Set<UInt8>()
            var keyIdentifier: [UInt8]?
            var outer = DERReader(found.value)
            if let sequence = try? outer.read(tag: 0x30) {
                var reader = DERReader(sequence.content)
                while let part = try? reader.read() {
                    fields.insert(part.tag)
                    if part.tag == 0x80 { keyIdentifier = Array(part.content) }
                }
            }
            if keyIdentifier == nil {
                failures.append(
                    failure(
                        .malformed, "\(certificate.subject): authorityKeyIdentifier without a keyIdentifier",
                        depth: depth))
            }
            if fields.contains(0xa1) || fields.contains(0x82) {
                failures.append(
                    failure(
                        .malformed,
                        "\(certificate.subject): authorityKeyIdentifier names the issuer by name and serial, which the Baseline Requirements forbid",
                        depth: depth))
            }
            if isAnchor, certificate.isSelfIssued, let keyIdentifier, let own = certificate.subjectKeyIdentifier,
                keyIdentifier != own
            {
                failures.append(
                    failure(
                        .malformed,
                        "root \(certificate.subject): authorityKeyIdentifier differs from its subjectKeyIdentifier",
                        depth: depth))
            }
        }
        return failures
    }
}
