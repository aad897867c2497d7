import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL
import DBPKITestSupport
import Foundation
import Testing

/// The hand-built hostile certificates in testdata/crafted (see its README).
enum Crafted {
    static func bytes(_ name: String) throws -> [UInt8] { try TestData.bytes("crafted/" + name) }

    static func certificate(_ name: String) throws -> [UInt8] {
        try CertificateDecoder.certificates(from: bytes(name))[0]
    }

    /// Inside every crafted certificate's validity (2026-01-01 to 2046-01-01).
    static let time = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01

    /// Each engine alone and both together, as `--backend` offers them.
    static let backends: [[any PKIBackend]] = [
        [OpenSSLBackend()], [GnuTLSBackend()], [OpenSSLBackend(), GnuTLSBackend()],
    ]

    /// The verdict on `name` for `host` under the crafted root: nil when verification refused to answer.
    static func verify(_ name: String, host: String = "db1.example.com", on engines: [any PKIBackend]) throws
        -> CrossCheckedVerification?
    {
        let request = VerificationRequest(
            leaf: try certificate(name), trustAnchors: [try certificate("root.crt")],
            policy: VerificationPolicy(time: time, purpose: .server, peer: .dns(host)))
        do {
            return try ChainVerifier(engines: engines).verify(request)
        } catch let error as PKIError {
            #expect(!error.message.isEmpty)
            return nil
        }
    }
}

@Suite("Crafted hostile certificates: a clear error or invalid, never a crash or a silent accept")
struct CraftedInputTests {
    static let backendNames = ["openssl", "gnutls", "both"]

    static func engines(_ name: String) -> [any PKIBackend] {
        Crafted.backends[backendNames.firstIndex(of: name)!]
    }

    @Test(
        "the well-formed control certificate is valid, so the others fail for what was crafted", arguments: backendNames
    )
    func controlIsValid(backend: String) throws {
        let outcome = try #require(try Crafted.verify("good.crt", on: Self.engines(backend)))
        #expect(outcome.isValid, "\(outcome.results.flatMap(\.failures))")
    }

    @Test("a NUL inside a dNSName never matches a host", arguments: backendNames)
    func nulInSAN(backend: String) throws {
        for host in ["db1.example.com", "evil.com", "db1.example.com.evil.com", "example.com"] {
            if let outcome = try Crafted.verify("nul-in-san.crt", host: host, on: Self.engines(backend)) {
                #expect(!outcome.isValid, "\(host)")
                #expect(outcome.results.allSatisfy { $0.reasons.contains(.malformed) }, "\(host)")
            }
        }
    }

    @Test("negative and zero serial numbers are invalid", arguments: backendNames)
    func badSerials(backend: String) throws {
        for name in ["negative-serial.crt", "zero-serial.crt"] {
            let outcome = try #require(try Crafted.verify(name, on: Self.engines(backend)))
            #expect(!outcome.isValid, "\(name)")
            for result in outcome.results {
                #expect(
                    result.failures.contains { $0.reason == .malformed && $0.message.contains("serial") }, "\(name)")
            }
        }
    }

    @Test("an unknown critical extension is invalid on every engine", arguments: backendNames)
    func unknownCriticalExtension(backend: String) throws {
        let outcome = try #require(try Crafted.verify("unknown-critical-extension.crt", on: Self.engines(backend)))
        #expect(!outcome.isValid)
        #expect(outcome.results.allSatisfy { $0.reasons.contains(.unknownCriticalExtension) })
    }

    @Test("a UTF8String name that is not UTF-8 is refused or invalid on every engine", arguments: backendNames)
    func nonUTF8Name(backend: String) throws {
        if let outcome = try Crafted.verify("non-utf8-name.crt", on: Self.engines(backend)) {
            #expect(!outcome.isValid)
            #expect(outcome.results.allSatisfy { $0.reasons.contains(.malformed) })
        }
    }

    @Test("truncated DER is a clear error on every engine", arguments: EngineUnderTest.all)
    func truncatedDER(engine: EngineUnderTest) throws {
        let truncated = try Crafted.bytes("good-truncated.der")
        #expect(throws: PKIError.self) { try CertificateDecoder.certificates(from: truncated) }
        #expect(throws: PKIError.self) { try engine.backend.parseCertificate(der: truncated) }
        let good = try Crafted.bytes("good.der")
        for cut in [1, 2, 10, good.count / 3, good.count - 1] {
            #expect(throws: PKIError.self, "cut at \(cut)") {
                try engine.backend.parseCertificate(der: Array(good.prefix(cut)))
            }
        }
    }
}
