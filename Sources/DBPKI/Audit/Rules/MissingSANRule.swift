/// `missing-san`: a server certificate (not a CA, not client-only) without a DNS or IP
/// subjectAltName. Clients match host names against SANs only (RFC 6125), never the CN.
public struct MissingSANRule: CertificateRule {
    public init() {}
    public var code: String { "missing-san" }
    public var summary: String { "server certificate (not a CA, not client-only) without a DNS or IP subjectAltName" }

    public func fails(_ certificate: CertificateFields, context: AuditContext) -> Bool {
        guard certificate.isServerCertificate else { return false }
        return !certificate.subjectAlternativeNames.contains {
            switch $0 {
            case .dns, .ip: true
            default: false
            }
        }
    }
}
