/// The path may have at most ``VerificationPolicy/maxIntermediates`` intermediate CAs,
/// counting self-issued certificates (key rollover within one CA) once with the CA they
/// belong to, as RFC 5280 section 4.2.1.9 counts them for pathLenConstraint.
public struct IntermediateCountRule: PathRule {
    public static let id = "intermediate-count"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        let limit = path.policy.maxIntermediates ?? VerificationPolicy.defaultMaxIntermediates
        let counted = path.intermediates.filter { !$0.certificate.isSelfIssued }
        guard counted.count > limit else { return [] }
        return [
            failure(
                .pathLengthExceeded, "the path has \(counted.count) intermediate CAs; at most \(limit) are allowed",
                depth: counted[limit].depth)
        ]
    }
}
