/// A CA's nameConstraints extension (RFC 5280 4.2.1.10): the subtrees every name below it
/// must lie in (permitted, per form) and must not lie in (excluded).
public struct NameConstraints: Hashable, Sendable {
    /// Subtree bases of permittedSubtrees; nil when the field is absent.
    public var permitted: [GeneralName]?
    /// Subtree bases of excludedSubtrees; nil when the field is absent.
    public var excluded: [GeneralName]?
    /// The extension's critical flag (RFC 5280 requires it; a non-critical one is still applied).
    public var critical: Bool

    public init(permitted: [GeneralName]?, excluded: [GeneralName]?, critical: Bool) {
        self.permitted = permitted
        self.excluded = excluded
        self.critical = critical
    }

    /// Every form some subtree constrains.
    public var constrainedForms: Set<GeneralName.Form> {
        Set(((permitted ?? []) + (excluded ?? [])).map(\.form))
    }
}
