/// `not-yet-valid`: notBefore is after the audit time.
public struct NotYetValidRule: CertificateRule {
    public init() {}
    public var code: String { "not-yet-valid" }
    public var summary: String { "notBefore is after the audit time (--at)" }

    public func fails(_ certificate: CertificateFields, context: AuditContext) -> Bool {
        certificate.notBefore.timeIntervalSince1970 > context.at
    }
}
