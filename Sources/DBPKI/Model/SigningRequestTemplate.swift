/// What an engine puts in a PKCS#10 request it makes: the core decides every field, the
/// engine encodes and signs it with the requester's key, as ``CertificateRequest`` is for
/// certificates.
public struct SigningRequestTemplate: Sendable, Hashable {
    /// The requested subject, encoded in the order given.
    public var subject: DistinguishedName
    /// Names asked for, as a subjectAltName in the extensionRequest attribute (none: no extension).
    public var subjectAlternativeNames: [SubjectAlternativeName]
    /// Ask for a CA certificate: basicConstraints cA TRUE (critical) in the extensionRequest.
    public var requestsCA: Bool
    /// The hash for RSA and ECDSA signatures; ignored for Ed25519.
    public var digest: DigestAlgorithm

    /// A template; by default no names and no CA request.
    public init(
        subject: DistinguishedName, subjectAlternativeNames: [SubjectAlternativeName] = [], requestsCA: Bool = false,
        digest: DigestAlgorithm = .sha256
    ) {
        self.subject = subject
        self.subjectAlternativeNames = subjectAlternativeNames
        self.requestsCA = requestsCA
        self.digest = digest
    }
}
