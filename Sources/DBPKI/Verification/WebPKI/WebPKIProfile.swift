extension VerificationProfile {
    /// The `webpki` profile: ``rfc5280`` (with nameConstraints allowed to be non-critical, as
    /// web PKI verifiers accept) and the CA/Browser Forum Baseline Requirements' certificate
    /// profile (section 7.1) that Chromium, rustls-webpki and pyca cryptography enforce: key
    /// identifiers, common names that repeat a subjectAltName, EKUs in leaves, key and signature
    /// algorithms, end-entity shape, wildcard scope and a well-formed authorityInfoAccess.
    public static let webpki = VerificationProfile(
        id: "webpki",
        rules: rfc5280.rules.map { rule in
            rule.id == ExtensionCriticalityRule.id
                ? ExtensionCriticalityRule(nameConstraintsMustBeCritical: false) : rule
        } + [
            WebPKIKeyIdentifierRule(), WebPKICommonNameRule(), WebPKIExtendedKeyUsageRule(), WebPKIAlgorithmRule(),
            WebPKIEndEntityRule(), WebPKIWildcardRule(), WebPKIAuthorityInfoAccessRule(),
        ])

    /// Every profile `--profile` can name.
    public static let all: [VerificationProfile] = [.rfc5280, .webpki]

    /// The profile named `id`, or nil.
    public static func named(_ id: String) -> VerificationProfile? { all.first { $0.id == id } }
}
