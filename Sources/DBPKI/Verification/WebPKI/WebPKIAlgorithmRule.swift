/// Key and signature algorithms the Baseline Requirements allow (6.1.5, 7.1.3): RSA keys of at
/// least 2048 bits whose modulus is a whole number of bytes, or ECDSA keys on P-256, P-384 or
/// P-521, on every certificate including the root; signatures by RSA PKCS #1 v1.5 or PSS with
/// SHA-256/384/512, or ECDSA with SHA-256/384/512, below the trust anchor. DSA, Ed25519 and
/// other curves are not web PKI keys.
public struct WebPKIAlgorithmRule: PathRule {
    public static let id = "webpki-algorithms"

    static let signatureAlgorithms: Set<String> = [
        "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13",  // sha256/384/512WithRSA
        "1.2.840.113549.1.1.10",  // RSASSA-PSS
        "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4",  // ecdsa-with-SHA256/384/512
    ]

    /// The rule has no settings.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        var failures = [VerificationFailure]()
        for (depth, certificate) in path.certificates.enumerated() {
            if let problem = Self.keyProblem(certificate.publicKey) {
                failures.append(failure(.insecureAlgorithm, "\(certificate.subject): \(problem)", depth: depth))
            }
        }
        for (depth, certificate) in path.belowTrustAnchor
        where !Self.signatureAlgorithms.contains(certificate.signatureAlgorithmOID) {
            failures.append(
                failure(
                    .insecureAlgorithm,
                    "\(certificate.subject) is signed with \(certificate.signatureAlgorithmName), which web PKI does not allow",
                    depth: depth))
        }
        return failures
    }

    static func keyProblem(_ key: PublicKeyDescription) -> String? {
        switch key.algorithm {
        case .rsa:
            if key.bits < 2048 { return "an RSA key of \(key.bits) bits (web PKI needs at least 2048)" }
            if key.bits % 8 != 0 { return "an RSA modulus of \(key.bits) bits, not a whole number of bytes" }
            return nil
        case .ec:
            return ["P-256", "P-384", "P-521"].contains(key.curve ?? "")
                ? nil : "an EC key on \(key.curve ?? "an unnamed curve"), not P-256, P-384 or P-521"
        default:
            return "a \(key.algorithm) key, which web PKI does not allow"
        }
    }
}
