/// A TLS leaf whose keyUsage is present must allow a TLS handshake: digitalSignature,
/// keyEncipherment or keyAgreement. OpenSSL's purpose check has this rule and GnuTLS's
/// has not; dbpki applies it on both, since such a certificate cannot serve TLS.
public struct TLSKeyUsageRule: PathRule {
    public static let id = "tls-key-usage"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        guard path.policy.purpose != nil, let usage = path.leaf.keyUsage,
            usage.isDisjoint(with: [.digitalSignature, .keyEncipherment, .keyAgreement])
        else { return [] }
        return [
            failure(
                .purposeMismatch, "the leaf's keyUsage (\(usage.names.joined(separator: ", "))) does not allow TLS",
                depth: 0)
        ]
    }
}
