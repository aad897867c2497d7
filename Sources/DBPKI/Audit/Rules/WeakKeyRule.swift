/// `weak-key`: RSA below 2048 bits, EC on a curve below P-256 (P-192, P-224), or any DSA key.
public struct WeakKeyRule: CertificateRule {
    public init() {}
    public var code: String { "weak-key" }
    public var summary: String { "RSA key below 2048 bits, EC key below P-256, or a DSA key" }

    public func fails(_ certificate: CertificateFields, context: AuditContext) -> Bool {
        certificate.publicKey.isWeak
    }
}
