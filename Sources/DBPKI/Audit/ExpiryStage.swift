/// The alarm stage a certificate has reached: `ok`, `warn-N` for each warning
/// threshold N (30, 15, 7 by default), `expires-today`, or `expired`.
public struct ExpiryStage: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Higher is more urgent: ok 0, warn stages 1... (the smallest threshold highest), expires-today, expired.
    public let severity: Int
    /// The stage's name as printed (`ok`, `warn-30`, `expires-today`, `expired`).
    public let name: String

    init(severity: Int, name: String) {
        self.severity = severity
        self.name = name
    }

    /// More than the largest threshold left.
    public static let ok = ExpiryStage(severity: 0, name: "ok")
    /// 0 whole days left, not yet expired.
    public static let expiresToday = ExpiryStage(severity: 1000, name: "expires-today")
    /// notAfter is before the audit time.
    public static let expired = ExpiryStage(severity: 1001, name: "expired")

    /// True for a `warn-N` stage.
    public var isWarning: Bool { self != .ok && self != .expiresToday && self != .expired }
    /// True for `expires-today` and `expired`, which make the audit critical.
    public var isCritical: Bool { self == .expiresToday || self == .expired }

    public var description: String { name }

    public static func < (lhs: ExpiryStage, rhs: ExpiryStage) -> Bool { lhs.severity < rhs.severity }
}
