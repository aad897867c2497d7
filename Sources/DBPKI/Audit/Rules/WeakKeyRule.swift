/// `weak-key`: RSA below 2048 bits, EC on a curve below P-256 (P-192, P-224), or any DSA key.
public struct WeakKeyRule: CertificateRule {
    public init() {}
    public var code: String { "weak-key" }
    public var summary: String { "RSA key below 2048 bits, EC key below P-256, or a DSA key" }

    public func fails(_ certificate: CertificateFields, context: AuditContext) -> Bool {
        let key = certificate.publicKey
        switch key.algorithm {
        case .rsa, .init(name: "1.2.840.113549.1.1.10"): return key.bits < 2048
        case .ec: return key.bits < 256
        case .dsa: return true  // FIPS 186-5 no longer allows DSA signatures at any size
        default: return false
        }
    }
}
