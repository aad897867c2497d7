import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Bad input is a clear error, never a crash")
struct BadInputTests {
    static let garbage: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [0x30]),
        ("a truncated sequence", [0x30, 0x82, 0x01, 0x00, 0x02]),
        ("an integer", [0x02, 0x01, 0x05]),
        ("random text", Array("hello, world".utf8)),
        ("a 10 MB zero file", [UInt8](repeating: 0, count: 10 << 20)),
    ]

    @Test("garbage DER is not a certificate or a CRL", arguments: EngineUnderTest.all)
    func garbageIsRefused(engine: EngineUnderTest) {
        for (name, bytes) in Self.garbage {
            #expect(throws: PKIError.self, "certificate from \(name)") {
                try engine.backend.parseCertificate(der: bytes)
            }
            #expect(throws: PKIError.self, "CRL from \(name)") { try engine.backend.parseCRL(der: bytes) }
        }
    }

    @Test("a certificate with trailing bytes is refused", arguments: EngineUnderTest.all)
    func trailingBytesAreRefused(engine: EngineUnderTest) throws {
        let root = try TestPKI(engine).root()
        #expect(throws: PKIError.self) { try engine.backend.parseCertificate(der: root.der + [0]) }
        #expect(throws: PKIError.self) { try engine.backend.parseCertificate(der: Array(root.der.dropLast())) }
    }

    @Test("a key where a certificate is expected is a clear error", arguments: EngineUnderTest.all)
    func keyIsNotACertificate(engine: EngineUnderTest) throws {
        let key = try engine.backend.generatePrivateKey(.ecdsaP256)
        let pem = Array(PEM.encode(label: "PRIVATE KEY", der: key.pkcs8DER).utf8)
        let error = #expect(throws: PKIError.self) { try CertificateDecoder.certificates(from: pem) }
        #expect(error?.message.contains("found: PRIVATE KEY") == true)
        #expect(error.map { !$0.message.contains(Hex.encode(key.pkcs8DER)) } == true)
        #expect(throws: PKIError.self) { try engine.backend.parseCertificate(der: key.pkcs8DER) }
    }

    @Test("verification of undecodable certificates throws instead of answering", arguments: EngineUnderTest.all)
    func verifyRejectsGarbage(engine: EngineUnderTest) throws {
        let root = try TestPKI(engine).root()
        #expect(throws: PKIError.self) {
            try engine.backend.verify(
                VerificationRequest(leaf: [0x30, 0x00], trustAnchors: [root.der], policy: .init()))
        }
    }
}
