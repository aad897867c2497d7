/// `ca-without-keycertsign`: a CA (basicConstraints cA) whose keyUsage lacks keyCertSign,
/// or that has no keyUsage at all (RFC 5280 4.2.1.3: CA certificates must carry it).
public struct CAWithoutKeyCertSignRule: CertificateRule {
    public init() {}
    public var code: String { "ca-without-keycertsign" }
    public var summary: String { "CA certificate without keyUsage keyCertSign (or without keyUsage)" }

    public func fails(_ certificate: CertificateFields, context: AuditContext) -> Bool {
        guard certificate.isCA else { return false }
        return !(certificate.keyUsage?.contains(.keyCertSign) ?? false)
    }
}
