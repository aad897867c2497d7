/// RFC 5280's rules on which extensions must (or must not) be critical: basicConstraints
/// in a CA that signs (4.2.1.9), nameConstraints (4.2.1.10) and policyConstraints
/// (4.2.1.11) always critical; authorityInfoAccess never (4.2.2.1); subjectAltName
/// critical when the subject is empty (4.2.1.6).
public struct ExtensionCriticalityRule: PathRule {
    public static let id = "extension-criticality"

    /// RFC 5280 requires a critical nameConstraints; web PKI verifiers accept a non-critical one
    /// (the ``VerificationProfile/webpki`` profile turns this off).
    public let nameConstraintsMustBeCritical: Bool

    /// The rule as RFC 5280 states it, or with nameConstraints allowed to be non-critical.
    public init(nameConstraintsMustBeCritical: Bool = true) {
        self.nameConstraintsMustBeCritical = nameConstraintsMustBeCritical
    }

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
            if nameConstraintsMustBeCritical {
                require(CertificateExtension.nameConstraints, critical: true, "nameConstraints")
            }
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
