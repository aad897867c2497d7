import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL
import Testing

/// One engine as a test argument, named in test output.
struct EngineUnderTest: Sendable, CustomTestStringConvertible {
    let backend: any PKIBackend
    var testDescription: String { backend.engine.name }

    /// Every engine dbpki has; each conformance test runs once per entry.
    static let all: [EngineUnderTest] = [
        EngineUnderTest(backend: OpenSSLBackend()), EngineUnderTest(backend: GnuTLSBackend()),
    ]

    /// Every ordered pair (maker, checker), including an engine with itself.
    static let pairs: [EnginePair] = all.flatMap { maker in all.map { EnginePair(maker: maker, checker: $0) } }
}

/// A pair of engines: one makes, the other reads or verifies.
struct EnginePair: Sendable, CustomTestStringConvertible {
    let maker: EngineUnderTest
    let checker: EngineUnderTest
    var testDescription: String { "\(maker.testDescription) -> \(checker.testDescription)" }
}
