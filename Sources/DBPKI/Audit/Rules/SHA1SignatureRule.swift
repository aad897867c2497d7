/// `sha1-signature`: signed with SHA-1 (RSA, ECDSA or DSA).
public struct SHA1SignatureRule: CertificateRule {
    /// SHA-1 based signature algorithm OIDs.
    static let oids: Set<String> = [
        "1.2.840.113549.1.1.5", "1.3.14.3.2.29", "1.2.840.10045.4.1", "1.2.840.10040.4.3", "1.3.14.3.2.27",
    ]

    public init() {}
    public var code: String { "sha1-signature" }
    public var summary: String { "signed with SHA-1" }

    public func fails(_ certificate: CertificateFields, context: AuditContext) -> Bool {
        Self.oids.contains(certificate.signatureAlgorithmOID)
    }
}
