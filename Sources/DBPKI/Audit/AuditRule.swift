/// What the rules of an audit are judged against.
public struct AuditContext: Sendable {
    /// The audit time in seconds since 1970 (`--at`, default now).
    public var at: Double
    /// The longest validity allowed for a leaf certificate, in days (`--max-leaf-days`).
    public var maxLeafDays: Int

    /// Makes a context.
    public init(at: Double, maxLeafDays: Int = 825) {
        self.at = at
        self.maxLeafDays = maxLeafDays
    }
}

/// One compliance check. Each rule is a small type in its own file with a stable short
/// code (such as `weak-key`) that reports, help and metrics print.
public protocol AuditRule: Sendable {
    /// The short code, such as `sha1-signature`.
    var code: String { get }
    /// One line for `--help`: what makes a certificate fail this rule.
    var summary: String { get }
    /// The indices of the certificates that fail, given all of them (some rules compare certificates).
    func flagged(_ certificates: [AuditedCertificate], context: AuditContext) -> Set<Int>
}

/// A rule that looks at one certificate at a time.
public protocol CertificateRule: AuditRule {
    /// True when the certificate fails the rule.
    func fails(_ certificate: CertificateFields, context: AuditContext) -> Bool
}

extension CertificateRule {
    public func flagged(_ certificates: [AuditedCertificate], context: AuditContext) -> Set<Int> {
        var found = Set<Int>()
        for index in certificates.indices where fails(certificates[index].fields, context: context) {
            found.insert(index)
        }
        return found
    }
}

/// Roles the rules share.
extension CertificateFields {
    /// A certificate a TLS server would present: not a CA, and with no extendedKeyUsage,
    /// or one that allows serverAuth (or any purpose). A client-only certificate is not one.
    public var isServerCertificate: Bool {
        guard !isCA else { return false }
        guard let usages = extendedKeyUsage else { return true }
        return usages.contains(ExtendedKeyUsage.serverAuth) || usages.contains(ExtendedKeyUsage.any)
    }
}

/// Every rule an audit applies, in the order findings are printed.
public enum AuditRules {
    /// The rules, in report order.
    public static let all: [any AuditRule] = [
        WeakKeyRule(), SHA1SignatureRule(), MD5SignatureRule(), MissingSANRule(), ValidityTooLongRule(),
        OutlivesIssuerRule(), NotYetValidRule(), CAWithoutKeyCertSignRule(), DuplicateSerialRule(),
    ]

    /// The codes, in report order.
    public static var codes: [String] { all.map(\.code) }
}
