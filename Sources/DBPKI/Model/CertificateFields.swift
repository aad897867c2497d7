import Foundation

/// The fields of one certificate: what dbpki reports, compares and judges.
///
/// An engine's full parse fills them inside a ``CertificateInfo`` (which adds the DER and
/// the fingerprint); ``CertificateFieldReader`` fills them in pure Swift for `audit`, so a
/// large audit keeps no DER in memory. Tests hold the two equal on every certificate they
/// can reach.
public struct CertificateFields: Hashable, Sendable {
    /// X.509 version (1 or 3).
    public var version: Int
    /// The subject as RFC 4514 text, formatted by ``RFC4514`` like the engines' names.
    public var subject: String
    /// The issuer as RFC 4514 text.
    public var issuer: String
    /// The serial number's content octets, as encoded (including any leading zero byte).
    public var serialNumber: [UInt8]
    /// Start of validity.
    public var notBefore: Date
    /// End of validity.
    public var notAfter: Date
    /// The subject's public key: its algorithm and size, which audits judge.
    public var publicKey: PublicKeyDescription
    /// The signature algorithm OID in dotted form (compared by OID: the engines name algorithms differently).
    public var signatureAlgorithmOID: String
    /// subjectAltName entries in encoded order; empty when absent.
    public var subjectAlternativeNames: [SubjectAlternativeName]
    /// basicConstraints cA (false when absent).
    public var isCA: Bool
    /// basicConstraints pathLenConstraint; nil when absent (no limit).
    public var pathLengthConstraint: Int?
    /// keyUsage; nil when absent.
    public var keyUsage: KeyUsage?
    /// extendedKeyUsage OIDs; nil when absent.
    public var extendedKeyUsage: [String]?
    /// subjectKeyIdentifier; nil when absent. Links the certificates this one issues to its key.
    public var subjectKeyIdentifier: [UInt8]?
    /// authorityKeyIdentifier keyIdentifier; nil when absent. Names the key that signed this one.
    public var authorityKeyIdentifier: [UInt8]?
    /// Every extension's OID and critical flag, in encoded order.
    public var extensions: [CertificateExtension]

    /// Makes the value field by field.
    public init(
        version: Int, subject: String, issuer: String, serialNumber: [UInt8], notBefore: Date, notAfter: Date,
        publicKey: PublicKeyDescription, signatureAlgorithmOID: String,
        subjectAlternativeNames: [SubjectAlternativeName], isCA: Bool, pathLengthConstraint: Int?,
        keyUsage: KeyUsage?, extendedKeyUsage: [String]?, subjectKeyIdentifier: [UInt8]?,
        authorityKeyIdentifier: [UInt8]?, extensions: [CertificateExtension]
    ) {
        self.version = version
        self.subject = subject
        self.issuer = issuer
        self.serialNumber = serialNumber
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.publicKey = publicKey
        self.signatureAlgorithmOID = signatureAlgorithmOID
        self.subjectAlternativeNames = subjectAlternativeNames
        self.isCA = isCA
        self.pathLengthConstraint = pathLengthConstraint
        self.keyUsage = keyUsage
        self.extendedKeyUsage = extendedKeyUsage
        self.subjectKeyIdentifier = subjectKeyIdentifier
        self.authorityKeyIdentifier = authorityKeyIdentifier
        self.extensions = extensions
    }

    /// The serial as lowercase hex without colons or leading zeros (`0` for zero).
    public var serialHex: String { Hex.integer(serialNumber) }

    /// True when subject and issuer are the same name (a root or other self-issued certificate).
    public var isSelfIssued: Bool { subject == issuer }

    /// The extension with `oid`, when present.
    public func `extension`(_ oid: String) -> CertificateExtension? { extensions.first { $0.oid == oid } }

    /// A readable name for the signature algorithm, or its OID when unknown.
    public var signatureAlgorithmName: String { SignatureAlgorithm.name(of: signatureAlgorithmOID) }
}
