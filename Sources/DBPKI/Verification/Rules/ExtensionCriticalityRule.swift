/// RFC 5280's rules on which extensions must (or must not) be critical: basicConstraints
/// in a CA that signs (4.2.1.9), nameConstraints (4.2.1.10) and policyConstraints
/// (4.2.1.11) always critical; authorityInfoAccess never (4.2.2.1); subjectAltName
/// critical when the subject is empty (4.2.1.6).
public struct ExtensionCriticalityRule: PathRule {
    public static let id = "extension-criticality"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        var failures = [VerificationFailure]()
        for (depth, certificate) in path.certificates.enumerated() {
            func require(_ oid: String, critical: Bool, _ name: String) {
                guard let found = certificate.extension(oid), found.critical != critical else { return }
                failures.append(
                    failure(
                        .malformed, "\(describe(certificate)) marks \(name) \(critical ? "non-critical" : "critical")",
                        depth: depth))
            }
            if depth > 0 { require(CertificateExtension.basicConstraints, critical: true, "basicConstraints") }
            require(CertificateExtension.nameConstraints, critical: true, "nameConstraints")
            require(CertificateExtension.policyConstraints, critical: true, "policyConstraints")
            require(CertificateExtension.authorityInfoAccess, critical: false, "authorityInfoAccess")
            if certificate.subject.isEmpty {
                require(CertificateExtension.subjectAltName, critical: true, "subjectAltName (with an empty subject)")
            }
        }
        return failures
    }

    private func describe(_ certificate: CertificateInfo) -> String {
        certificate.subject.isEmpty ? "a certificate with an empty subject" : certificate.subject
    }
}
