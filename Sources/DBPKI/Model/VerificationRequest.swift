/// One path-validation question: a leaf, what may be used to build the path, and the policy.
public struct VerificationRequest: Sendable {
    /// The certificate to validate (DER).
    public var leaf: [UInt8]
    /// Certificates that may serve as intermediates but are not trusted (DER).
    public var intermediates: [[UInt8]]
    /// Trust anchors (DER).
    public var trustAnchors: [[UInt8]]
    /// CRLs (DER) to check revocation against.
    public var crls: [[UInt8]]
    /// The policy both engines apply, and the core's rules read.
    public var policy: VerificationPolicy

    /// A question; intermediates and CRLs default to none.
    public init(
        leaf: [UInt8], intermediates: [[UInt8]] = [], trustAnchors: [[UInt8]], crls: [[UInt8]] = [],
        policy: VerificationPolicy
    ) {
        self.leaf = leaf
        self.intermediates = intermediates
        self.trustAnchors = trustAnchors
        self.crls = crls
        self.policy = policy
    }
}
