/// A PKCS#10 certificate signing request as an engine reads it: what the requester asks
/// for, and whether the request's self-signature holds.
///
/// Nothing in it is trusted by itself: the core decides what a certificate made from it
/// carries (``CertificateSigningRequest/checkForLeaf()``). A requester proves only that
/// it holds the private key of ``subjectPublicKeyInfo``; its subject and names are
/// claims, copied into a certificate only when the CA operator says so.
public struct CertificateSigningRequest: Sendable, Hashable {
    /// The request's DER, as read.
    public var der: [UInt8]
    /// The requested subject (RFC 4514), formatted by the core as certificate names are.
    public var subject: String
    /// The requester's public key as SubjectPublicKeyInfo DER.
    public var subjectPublicKeyInfo: [UInt8]
    /// The kind and size of that key.
    public var publicKey: PublicKeyDescription
    /// subjectAltName entries of the extensionRequest attribute, in encoded order (empty without one).
    public var requestedNames: [SubjectAlternativeName]
    /// True when the extensionRequest asks for basicConstraints cA TRUE.
    public var requestsCA: Bool
    /// The signature algorithm OID (compare by OID: the engines name algorithms differently).
    public var signatureAlgorithmOID: String
    /// True when the request's signature verifies under its own public key.
    public var signatureVerifies: Bool

    /// A request as an engine read it.
    public init(
        der: [UInt8], subject: String, subjectPublicKeyInfo: [UInt8], publicKey: PublicKeyDescription,
        requestedNames: [SubjectAlternativeName], requestsCA: Bool, signatureAlgorithmOID: String,
        signatureVerifies: Bool
    ) {
        self.der = der
        self.subject = subject
        self.subjectPublicKeyInfo = subjectPublicKeyInfo
        self.publicKey = publicKey
        self.requestedNames = requestedNames
        self.requestsCA = requestsCA
        self.signatureAlgorithmOID = signatureAlgorithmOID
        self.signatureVerifies = signatureVerifies
    }

    /// The signature algorithm's name.
    public var signatureAlgorithmName: String { SignatureAlgorithm.name(of: signatureAlgorithmOID) }

    /// Refuses (``PKIError/Code-swift.struct/invalidInput``) a request dbpki will not sign as a
    /// leaf: a signature that does not verify (the requester has not shown it holds the key),
    /// a key weaker than RSA-2048 or P-256 (``PublicKeyDescription/isWeak``), or a request
    /// for a CA certificate (a leaf profile would silently drop what was asked for).
    public func checkForLeaf() throws {
        try checkProofAndStrength()
        if requestsCA {
            throw PKIError(
                .invalidInput,
                "the request asks for a CA certificate (basicConstraints cA TRUE); it is not signed as a leaf")
        }
    }

    /// The checks every signing starts with: the signature verifies (the requester holds the
    /// key) and the key is at least RSA-2048 or P-256.
    func checkProofAndStrength() throws {
        guard signatureVerifies else {
            throw PKIError(
                .invalidInput, "the request's signature does not verify: it was altered, or not signed by its key")
        }
        if publicKey.isWeak {
            throw PKIError(
                .invalidInput, "the request's key (\(publicKey)) is weaker than RSA-2048 or P-256 and is not signed")
        }
    }
}
