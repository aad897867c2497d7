import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL
import Testing

/// One engine as a test argument, named in test output, so a conformance test runs once per engine
/// and a failure says which engine it was.
public struct EngineUnderTest: Sendable, CustomTestStringConvertible {
    public let backend: any PKIBackend
    public var testDescription: String { backend.engine.name }

    /// One engine, or a wrapper around one, as a test argument.
    public init(backend: any PKIBackend) { self.backend = backend }

    /// Every engine dbpki has; each conformance test runs once per entry.
    public static let all: [EngineUnderTest] = [
        EngineUnderTest(backend: OpenSSLBackend()), EngineUnderTest(backend: GnuTLSBackend()),
    ]

    /// Every ordered pair (maker, checker), including an engine with itself.
    public static let pairs: [EnginePair] = all.flatMap { maker in all.map { EnginePair(maker: maker, checker: $0) } }
}
