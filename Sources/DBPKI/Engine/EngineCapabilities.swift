/// What an engine can do beyond what every ``PKIBackend`` must. Each engine declares its
/// set, so the core decides before it asks (and words the refusal itself) instead of
/// learning a limit from a failed call.
public struct EngineCapabilities: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Writing CRL entry extensions, so a revoked certificate's reasonCode goes into the CRL.
    /// GnuTLS 3.7 has no API for them.
    public static let crlEntryReasons = EngineCapabilities(rawValue: 1 << 0)

    /// Reading Java's trust attribute back from PKCS#12 certificate bags
    /// (``PKCS12Contents/Certificate/trustedForJava``). GnuTLS drops the bag attributes it
    /// does not know when it imports a file, so it reports every bag as untrusted.
    public static let pkcs12TrustAttributes = EngineCapabilities(rawValue: 1 << 1)
}
