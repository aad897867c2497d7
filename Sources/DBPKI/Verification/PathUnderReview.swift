import Foundation

/// The path an engine judged, parsed, with the question that was asked: what dbpki's
/// own rules look at, so both engines' answers are held to the same profile.
public struct PathUnderReview: Sendable {
    /// The certificates, leaf first, ending at the trust anchor when one was reached (fixed at
    /// init: ``rawExtensions`` and ``names`` are read from them).
    public let certificates: [CertificateInfo]
    /// True when the last certificate is one of the trust anchors (which rules exempt
    /// from what only untrusted certificates must satisfy).
    public var endsAtTrustAnchor: Bool
    /// The policy the engines were asked to apply; rules read its time, purpose and limits.
    public var policy: VerificationPolicy
    /// The CRLs given, parsed by the same engine.
    public var crls: [CRLInfo]
    /// Each certificate's extensions as encoded (nil where its DER cannot be walked), read once
    /// for every rule that looks at extension values the engines do not hand back.
    public let rawExtensions: [RawExtensions?]
    /// Each certificate's names in every form, and its name constraints (nil where unreadable).
    public let names: [CertificateNames?]

    /// Builds a review by hand; ``ChainVerifier`` builds one per engine answer, and tests
    /// build their own to try a rule without an engine.
    public init(certificates: [CertificateInfo], endsAtTrustAnchor: Bool, policy: VerificationPolicy, crls: [CRLInfo]) {
        self.certificates = certificates
        self.endsAtTrustAnchor = endsAtTrustAnchor
        self.policy = policy
        self.crls = crls
        rawExtensions = certificates.map { try? RawExtensions(certificate: $0.der) }
        names = rawExtensions.map { extensions in extensions.flatMap { try? CertificateNames(extensions: $0) } }
    }

    /// The certificate being validated (depth 0).
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
    public var time: Date { UTCClock.wholeSecond(policy.time) }
}
