/// `md5-signature`: signed with MD5 (or MD2).
public struct MD5SignatureRule: CertificateRule {
    /// md5WithRSAEncryption and md2WithRSAEncryption.
    static let oids: Set<String> = ["1.2.840.113549.1.1.4", "1.2.840.113549.1.1.2"]

    public init() {}
    public var code: String { "md5-signature" }
    public var summary: String { "signed with MD5 (or MD2)" }

    public func fails(_ certificate: CertificateFields, context: AuditContext) -> Bool {
        Self.oids.contains(certificate.signatureAlgorithmOID)
    }
}
