/// One distinct certificate of an audit: its fields, its SHA-256 fingerprint (from an
/// engine) and every place it was found. The DER itself is not kept.
public struct AuditedCertificate: Sendable {
    /// What the certificate says.
    public var fields: CertificateFields
    /// SHA-256 over the DER, computed by the chosen engine.
    public var fingerprint: [UInt8]
    /// Every location it was found at (a path, `path!entry` in a zip, or `probe:HOST:PORT`), in order found.
    public var locations: [String]
    /// The ids of the verification profile's rules it breaks (`audit --profile`), judged when it
    /// was read, while its DER was at hand; empty without a profile.
    public var profileFindings: [String] = []

    /// Makes a record.
    public init(fields: CertificateFields, fingerprint: [UInt8], locations: [String]) {
        self.fields = fields
        self.fingerprint = fingerprint
        self.locations = locations
    }

    /// The fingerprint as lowercase hex.
    public var fingerprintHex: String { Hex.encode(fingerprint) }
}
