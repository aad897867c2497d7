/// `validity-too-long`: a leaf (not a CA) valid for more than `--max-leaf-days` (825 by default)
/// whole days. Whole days, because issuers back-date notBefore by a few seconds or minutes
/// against clock skew (dbpki by one minute): an 825-day certificate is not too long for that.
public struct ValidityTooLongRule: CertificateRule {
    public init() {}
    public var code: String { "validity-too-long" }
    public var summary: String { "leaf valid for more than --max-leaf-days (default 825); CAs exempt" }

    public func fails(_ certificate: CertificateFields, context: AuditContext) -> Bool {
        guard !certificate.isCA else { return false }
        let days = (certificate.notAfter.timeIntervalSince(certificate.notBefore) / 86_400).rounded(.down)
        return days > Double(context.maxLeafDays)
    }
}
