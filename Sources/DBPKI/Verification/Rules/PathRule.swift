import Foundation

/// The path an engine judged, parsed, with the question that was asked: what dbpki's
/// own rules look at, so both engines' answers are held to the same profile.
public struct PathUnderReview: Sendable {
    /// The certificates, leaf first, ending at the trust anchor when one was reached.
    public var certificates: [CertificateInfo]
    /// True when the last certificate is one of the trust anchors.
    public var endsAtTrustAnchor: Bool
    /// The policy asked for.
    public var policy: VerificationPolicy
    /// The CRLs given, parsed.
    public var crls: [CRLInfo]

    /// Makes a review.
    public init(certificates: [CertificateInfo], endsAtTrustAnchor: Bool, policy: VerificationPolicy, crls: [CRLInfo]) {
        self.certificates = certificates
        self.endsAtTrustAnchor = endsAtTrustAnchor
        self.policy = policy
        self.crls = crls
    }

    /// The leaf.
    public var leaf: CertificateInfo { certificates[0] }

    /// Every certificate but the trust anchor (which is trusted as configured), with its depth.
    public var belowTrustAnchor: [(depth: Int, certificate: CertificateInfo)] {
        let end = endsAtTrustAnchor && certificates.count > 1 ? certificates.count - 1 : certificates.count
        return (0..<end).map { ($0, certificates[$0]) }
    }

    /// The certificates between the leaf and the anchor (or the end of a partial path), with their depths.
    public var intermediates: [(depth: Int, certificate: CertificateInfo)] {
        let end = endsAtTrustAnchor ? certificates.count - 1 : certificates.count
        guard end > 1 else { return [] }
        return (1..<end).map { ($0, certificates[$0]) }
    }

    /// Every certificate that signed another one on the path, with its depth.
    public var issuers: [(depth: Int, certificate: CertificateInfo)] {
        certificates.indices.dropFirst().map { ($0, certificates[$0]) }
    }

    /// The validation time at the granularity certificates are encoded in (whole seconds).
    public var time: Date { Date(timeIntervalSince1970: policy.time.timeIntervalSince1970.rounded(.down)) }
}

/// One rule of dbpki's verification profile. Rules are small and independent, like
/// swift-certificates' verifier policies, and each reports its own failures.
public protocol PathRule: Sendable {
    /// The failures this rule finds on the path; empty when it is satisfied.
    func failures(in path: PathUnderReview) -> [VerificationFailure]
}

extension VerificationFailure {
    /// A failure found by one of dbpki's own rules rather than by an engine.
    static func rule(_ reason: Reason, _ message: String, depth: Int?) -> VerificationFailure {
        VerificationFailure(reason: reason, message: "dbpki policy: " + message, depth: depth)
    }
}
