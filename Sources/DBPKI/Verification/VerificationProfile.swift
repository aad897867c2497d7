/// A named list of ``PathRule``s that ``ChainVerifier`` applies to each engine's path, on
/// top of the fixed checks every engine makes (``VerificationPolicy``). Profiles are
/// values, so a stricter one is a longer list, and `verify chain --profile` picks one by ``id``.
public struct VerificationProfile: Sendable {
    /// A stable name, as `--profile` takes it.
    public let id: String
    /// The rules, run in this order; their failures are reported in it.
    public let rules: [any PathRule]

    /// A profile of the given rules; ``rfc5280`` is the one dbpki uses by default.
    public init(id: String, rules: [any PathRule]) {
        self.id = id
        self.rules = rules
    }

    /// RFC 5280 path validation decided once for both engines: validity in whole seconds,
    /// serials, key identifiers, criticality, each certificate's role, well-formed and
    /// well-encoded names, a TLS-capable leaf key usage, the intermediate count (self-issued
    /// CAs once), name constraints, and numbered CRLs.
    public static let rfc5280 = VerificationProfile(
        id: "rfc5280",
        rules: [
            ValidityRule(), SerialNumberRule(), KeyIdentifierRule(), ExtensionCriticalityRule(),
            CertificateRoleRule(), SubjectAltNameRule(), NameEncodingRule(), TLSKeyUsageRule(),
            IntermediateCountRule(), NameConstraintsRule(), CRLNumberRule(),
        ])
}
