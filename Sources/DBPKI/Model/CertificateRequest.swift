import Foundation

/// Everything an engine needs to sign one certificate. The core decides every
/// field (the profile); an engine only encodes and signs what it is given, so
/// both engines produce equivalent certificates from the same request.
public struct CertificateRequest: Sendable {
    /// The subject, encoded in the order given.
    public var subject: DistinguishedName
    /// The serial number's content octets: positive, minimal, a leading zero byte
    /// when the top bit would otherwise be set (see ``SerialNumber``).
    public var serialNumber: [UInt8]
    /// Start of validity (second precision).
    public var notBefore: Date
    /// End of validity (second precision).
    public var notAfter: Date
    /// The subject's public key, as SubjectPublicKeyInfo DER.
    public var subjectPublicKeyInfo: [UInt8]
    /// basicConstraints cA; the extension is always written, critical.
    public var isCA: Bool
    /// basicConstraints pathLenConstraint, only meaningful when ``isCA``.
    public var pathLengthConstraint: Int?
    /// keyUsage, written critical when non-empty.
    public var keyUsage: KeyUsage
    /// extendedKeyUsage OIDs, written non-critical when non-empty.
    public var extendedKeyUsage: [String]
    /// subjectAltName entries (only `.dns`, `.ip`, `.email`, `.uri` can be written);
    /// critical when the subject is empty, as RFC 5280 requires.
    public var subjectAlternativeNames: [SubjectAlternativeName]
    /// subjectKeyIdentifier, computed by the core (RFC 5280 method 1).
    public var subjectKeyIdentifier: [UInt8]?
    /// authorityKeyIdentifier keyIdentifier: the issuer's subjectKeyIdentifier.
    public var authorityKeyIdentifier: [UInt8]?
    /// The hash for RSA and ECDSA signatures; ignored for Ed25519.
    public var digest: DigestAlgorithm

    /// Makes a request; extensions default to none.
    public init(
        subject: DistinguishedName,
        serialNumber: [UInt8],
        notBefore: Date,
        notAfter: Date,
        subjectPublicKeyInfo: [UInt8],
        isCA: Bool = false,
        pathLengthConstraint: Int? = nil,
        keyUsage: KeyUsage = [],
        extendedKeyUsage: [String] = [],
        subjectAlternativeNames: [SubjectAlternativeName] = [],
        subjectKeyIdentifier: [UInt8]? = nil,
        authorityKeyIdentifier: [UInt8]? = nil,
        digest: DigestAlgorithm = .sha256
    ) {
        self.subject = subject
        self.serialNumber = serialNumber
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.subjectPublicKeyInfo = subjectPublicKeyInfo
        self.isCA = isCA
        self.pathLengthConstraint = pathLengthConstraint
        self.keyUsage = keyUsage
        self.extendedKeyUsage = extendedKeyUsage
        self.subjectAlternativeNames = subjectAlternativeNames
        self.subjectKeyIdentifier = subjectKeyIdentifier
        self.authorityKeyIdentifier = authorityKeyIdentifier
        self.digest = digest
    }
}
