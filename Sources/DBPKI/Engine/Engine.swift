/// Which crypto engine answered. Engines are identified by name so that reports
/// and disagreement records can say who said what.
public struct Engine: Hashable, Sendable, CustomStringConvertible {
    /// The engine's short name, as accepted by `--backend`.
    public let name: String

    /// Makes an engine identifier from its `--backend` name.
    public init(name: String) { self.name = name }

    /// OpenSSL's libcrypto.
    public static let openssl = Engine(name: "openssl")
    /// GnuTLS.
    public static let gnutls = Engine(name: "gnutls")

    public var description: String { name }
}
