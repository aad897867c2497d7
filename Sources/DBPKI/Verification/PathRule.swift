/// One rule of a ``VerificationProfile``. Rules are small and independent, like
/// swift-certificates' verifier policies: each looks at the path an engine judged and
/// reports its own failures, and each failure carries the rule's ``id``, so a report
/// says which rule a certificate broke and a profile is just a list of rules.
public protocol PathRule: Sendable {
    /// A stable kebab-case name such as `validity` or `name-encoding`: what
    /// ``VerificationFailure/rule`` holds and `verify chain` prints. Never rename a
    /// published one; scripts and profiles refer to it.
    static var id: String { get }

    /// The failures this rule finds on the path; empty when it is satisfied.
    func failures(in path: PathUnderReview) -> [VerificationFailure]

    /// True for a rule about the end-entity certificate alone (its names, purposes, shape):
    /// `audit --profile` applies it to leaves, not to CA certificates found on their own.
    static var judgesTheLeafOnly: Bool { get }
}

extension PathRule {
    /// ``id``, for a rule held as `any PathRule`.
    public var id: String { Self.id }

    /// Most rules judge every certificate of the path.
    public static var judgesTheLeafOnly: Bool { false }

    /// ``judgesTheLeafOnly``, for a rule held as `any PathRule`.
    public var judgesTheLeafOnly: Bool { Self.judgesTheLeafOnly }

    /// A failure of this rule: marked as dbpki's policy (not an engine's finding) and tagged with ``id``.
    func failure(_ reason: VerificationFailure.Reason, _ message: String, depth: Int?) -> VerificationFailure {
        .policy(reason, message, depth: depth, rule: Self.id)
    }
}

extension VerificationFailure {
    /// A failure dbpki's policy found rather than an engine; `rule` is the ``PathRule/id``
    /// when a rule found it (nil for the core's own checks, such as an unparseable path).
    static func policy(_ reason: Reason, _ message: String, depth: Int?, rule: String? = nil) -> VerificationFailure {
        VerificationFailure(reason: reason, message: "dbpki policy: " + message, depth: depth, rule: rule)
    }
}
