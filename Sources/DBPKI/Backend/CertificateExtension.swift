/// One extension of a certificate as encoded: its OID and whether it is marked critical.
/// The core's RFC 5280 profile rules read these; the values of the extensions dbpki
/// understands are in ``CertificateInfo``'s other fields.
public struct CertificateExtension: Hashable, Sendable {
    /// The extension OID in dotted form.
    public var oid: String
    /// The critical flag.
    public var critical: Bool

    /// Makes an extension record.
    public init(oid: String, critical: Bool) {
        self.oid = oid
        self.critical = critical
    }

    public static let basicConstraints = "2.5.29.19"
    public static let keyUsage = "2.5.29.15"
    public static let extendedKeyUsage = "2.5.29.37"
    public static let subjectAltName = "2.5.29.17"
    public static let subjectKeyIdentifier = "2.5.29.14"
    public static let authorityKeyIdentifier = "2.5.29.35"
    public static let nameConstraints = "2.5.29.30"
    public static let policyConstraints = "2.5.29.36"
    public static let authorityInfoAccess = "1.3.6.1.5.5.7.1.1"
}
