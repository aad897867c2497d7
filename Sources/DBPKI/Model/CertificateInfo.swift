import Foundation

/// A certificate as an engine parsed it: its DER, its fingerprint and the
/// ``CertificateFields`` dbpki reports, compares and judges. Two engines parsing the same
/// DER must produce equal values.
///
/// The fields are one value shared with `audit`'s pure-Swift reader, which fills
/// ``CertificateFields`` without an engine; they are reached directly (`info.subject`)
/// through dynamic member lookup, so there is one list of fields, not two.
@dynamicMemberLookup
public struct CertificateInfo: Hashable, Sendable {
    /// The DER encoding the values were read from.
    public var der: [UInt8]
    /// SHA-256 over ``der``.
    public var fingerprintSHA256: [UInt8]
    /// Everything read from the DER.
    public var fields: CertificateFields

    /// Pairs fields an engine read with the DER they came from.
    public init(der: [UInt8], fingerprintSHA256: [UInt8], fields: CertificateFields) {
        self.der = der
        self.fingerprintSHA256 = fingerprintSHA256
        self.fields = fields
    }

    /// Makes a parsed-certificate value field by field; engines call this.
    public init(
        der: [UInt8], version: Int, subject: String, issuer: String, serialNumber: [UInt8],
        notBefore: Date, notAfter: Date, publicKey: PublicKeyDescription, signatureAlgorithmOID: String,
        subjectAlternativeNames: [SubjectAlternativeName], isCA: Bool, pathLengthConstraint: Int?,
        keyUsage: KeyUsage?, extendedKeyUsage: [String]?, subjectKeyIdentifier: [UInt8]?,
        authorityKeyIdentifier: [UInt8]?, fingerprintSHA256: [UInt8], extensions: [CertificateExtension]
    ) {
        self.init(
            der: der, fingerprintSHA256: fingerprintSHA256,
            fields: CertificateFields(
                version: version, subject: subject, issuer: issuer, serialNumber: serialNumber,
                notBefore: notBefore, notAfter: notAfter, publicKey: publicKey,
                signatureAlgorithmOID: signatureAlgorithmOID, subjectAlternativeNames: subjectAlternativeNames,
                isCA: isCA, pathLengthConstraint: pathLengthConstraint, keyUsage: keyUsage,
                extendedKeyUsage: extendedKeyUsage, subjectKeyIdentifier: subjectKeyIdentifier,
                authorityKeyIdentifier: authorityKeyIdentifier, extensions: extensions))
    }

    /// A field of ``fields``, such as `info.subject` or `info.notAfter`.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<CertificateFields, Value>) -> Value {
        get { fields[keyPath: keyPath] }
        set { fields[keyPath: keyPath] = newValue }
    }

    /// A computed property of ``fields``, such as `info.serialHex`.
    public subscript<Value>(dynamicMember keyPath: KeyPath<CertificateFields, Value>) -> Value {
        fields[keyPath: keyPath]
    }

    /// The extension with `oid`, when present (methods are not reached by member lookup).
    public func `extension`(_ oid: String) -> CertificateExtension? { fields.extension(oid) }

    /// The fingerprint as lowercase hex without colons.
    public var fingerprintHex: String { Hex.encode(fingerprintSHA256) }
}
