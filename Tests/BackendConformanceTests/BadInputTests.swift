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

    @Test(
        "a certificate with trailing bytes, one byte short, empty or an empty SEQUENCE is invalid input",
        arguments: EngineUnderTest.all)
    func trailingBytesAreRefused(engine: EngineUnderTest) throws {
        let root = try TestPKI(engine).root()
        for der in [root.der + [0], Array(root.der.dropLast()), [], [0x30, 0x00]] {
            #expect("\(der.count) bytes") { try engine.backend.parseCertificate(der: der) } throws: {
                ($0 as? PKIError)?.code == .invalidInput
            }
        }
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

    @Test(
        "a CRL with trailing bytes, one byte short, empty or an empty SEQUENCE is invalid input",
        arguments: EngineUnderTest.all)
    func badCRLsAreInvalidInput(engine: EngineUnderTest) throws {
        let root = try TestPKI(engine).root()
        let crl = try engine.backend.createCRL(
            CRLRequest(
                thisUpdate: TestPKI.now, nextUpdate: TestPKI.now.addingTimeInterval(TestPKI.day), crlNumber: [1],
                revoked: [], authorityKeyIdentifier: root.info.subjectKeyIdentifier),
            issuer: root.der, signingKey: root.key)
        #expect(try engine.backend.parseCRL(der: crl).crlNumber == [1])
        for der in [crl + [0], crl + [0, 0], Array(crl.dropLast()), [], [0x30, 0x00]] {
            #expect("\(der.count) bytes") { try engine.backend.parseCRL(der: der) } throws: {
                ($0 as? PKIError)?.code == .invalidInput
            }
        }
    }

    @Test(
        "verification of an undecodable leaf, anchor or CRL throws invalid input instead of answering",
        arguments: EngineUnderTest.all)
    func verifyRejectsGarbage(engine: EngineUnderTest) throws {
        let chain = try TestPKI(engine).standardChain()
        let good = VerificationRequest(
            leaf: chain.leaf.der, intermediates: [chain.intermediate.der], trustAnchors: [chain.root.der],
            policy: TestPKI.policy())
        #expect(try engine.backend.verify(good).isValid)
        var requests = [String: VerificationRequest]()
        for leaf: [UInt8] in [[0x30, 0x00], [1]] {
            var request = good
            request.leaf = leaf
            requests["leaf \(leaf)"] = request
        }
        requests["trailing byte after the anchor"] = {
            var request = good
            request.trustAnchors = [chain.root.der + [0]]
            return request
        }()
        requests["an empty SEQUENCE as a CRL"] = {
            var request = good
            request.crls = [[0x30, 0x00]]
            return request
        }()
        for (what, request) in requests {
            #expect("\(what)") { try engine.backend.verify(request) } throws: {
                ($0 as? PKIError)?.code == .invalidInput
            }
        }
    }
}
