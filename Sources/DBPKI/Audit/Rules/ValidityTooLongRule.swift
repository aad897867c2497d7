/// `validity-too-long`: a leaf (not a CA) valid for more than `--max-leaf-days` (825 by default).
public struct ValidityTooLongRule: CertificateRule {
    public init() {}
    public var code: String { "validity-too-long" }
    public var summary: String { "leaf valid for more than --max-leaf-days (default 825); CAs exempt" }

    public func fails(_ certificate: CertificateFields, context: AuditContext) -> Bool {
        guard !certificate.isCA else { return false }
        let seconds = certificate.notAfter.timeIntervalSince(certificate.notBefore)
        return seconds > Double(context.maxLeafDays) * 86_400
    }
}
