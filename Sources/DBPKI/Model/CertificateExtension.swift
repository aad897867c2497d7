/// One extension of a certificate as encoded: its OID and whether it is marked critical.
/// The core's RFC 5280 profile rules read these; the values of the extensions dbpki
/// understands are in ``CertificateInfo``'s other fields.
public struct CertificateExtension: Hashable, Sendable {
    /// The extension OID in dotted form.
    public var oid: String
    /// Whether the issuer marked it critical: a verifier that does not understand a critical
    /// extension must reject the certificate.
    public var critical: Bool

    /// An extension as an engine read it.
    public init(oid: String, critical: Bool) {
        self.oid = oid
        self.critical = critical
    }

    /// RFC 5280 4.2.1.9.
    public static let basicConstraints = "2.5.29.19"
    /// RFC 5280 4.2.1.3.
    public static let keyUsage = "2.5.29.15"
    /// RFC 5280 4.2.1.12.
    public static let extendedKeyUsage = "2.5.29.37"
    /// RFC 5280 4.2.1.6.
    public static let subjectAltName = "2.5.29.17"
    /// RFC 5280 4.2.1.2.
    public static let subjectKeyIdentifier = "2.5.29.14"
    /// RFC 5280 4.2.1.1.
    public static let authorityKeyIdentifier = "2.5.29.35"
    /// RFC 5280 4.2.1.10.
    public static let nameConstraints = "2.5.29.30"
    /// RFC 5280 4.2.1.11.
    public static let policyConstraints = "2.5.29.36"
    /// RFC 5280 4.2.2.1.
    public static let authorityInfoAccess = "1.3.6.1.5.5.7.1.1"
}
