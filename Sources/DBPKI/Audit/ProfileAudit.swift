/// A verification profile's certificate rules applied by `audit --profile`, so a compliance
/// audit and `verify chain --profile` judge with one rule set and report the same rule ids.
///
/// An audit has certificates, not paths: each is judged alone, a leaf as a path of itself, a
/// CA certificate by the rules that are not about leaves. Only the rules the profile adds to
/// ``VerificationProfile/rfc5280`` run here; expiry, weak keys and missing SANs are the
/// audit's own findings.
public struct ProfileAudit: Sendable {
    /// The profile whose added rules are applied.
    public let profile: VerificationProfile

    public init(profile: VerificationProfile) { self.profile = profile }

    /// The rules that run, in the profile's order.
    public var rules: [any PathRule] {
        let base = Set(VerificationProfile.rfc5280.rules.map(\.id))
        return profile.rules.filter { !base.contains($0.id) }
    }

    /// The ids of the rules `certificate` breaks, each once, in the profile's order.
    public func findings(_ certificate: CertificateInfo) -> [String] {
        let alone = PathUnderReview(
            certificates: [certificate], endsAtTrustAnchor: certificate.isCA && certificate.isSelfIssued,
            policy: VerificationPolicy(), crls: [])
        return rules.filter { rule in
            !(certificate.isCA && rule.judgesTheLeafOnly) && !rule.failures(in: alone).isEmpty
        }.map(\.id)
    }

    /// One ``AuditRule`` per profile rule, flagging the certificates whose findings name it.
    public var auditRules: [any AuditRule] {
        rules.map { ProfileFindingRule(code: $0.id, summary: "breaks the \(profile.id) profile's \($0.id) rule") }
    }
}

/// An audit rule whose verdict was reached when the certificate was read (see ``ProfileAudit``).
struct ProfileFindingRule: AuditRule {
    let code: String
    let summary: String

    func flagged(_ certificates: [AuditedCertificate], context: AuditContext) -> Set<Int> {
        Set(certificates.indices.filter { certificates[$0].profileFindings.contains(code) })
    }
}
