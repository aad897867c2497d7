import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Engines declare what they can do, honestly")
struct EngineCapabilityTests {
    @Test("each engine's declared capabilities are what it does", arguments: EngineUnderTest.all)
    func declarationsAreHonest(engine: EngineUnderTest) throws {
        let root = try TestPKI(engine).root()
        let request = CRLRequest(
            thisUpdate: TestPKI.now, nextUpdate: TestPKI.now.addingTimeInterval(TestPKI.day), crlNumber: [1],
            revoked: [RevokedCertificate(serialNumber: [0x05], revocationDate: TestPKI.now, reason: .superseded)],
            authorityKeyIdentifier: root.info.subjectKeyIdentifier)
        if engine.backend.capabilities.contains(.crlEntryReasons) {
            let der = try engine.backend.createCRL(request, issuer: root.der, signingKey: root.key)
            #expect(try engine.backend.parseCRL(der: der).revoked.map(\.reason) == [.superseded])
        } else {
            let error = #expect(throws: PKIError.self) {
                try engine.backend.createCRL(request, issuer: root.der, signingKey: root.key)
            }
            #expect(error?.code == .unsupported)
        }
        #expect(engine.backend.capabilities.contains(.crlEntryReasons) == (engine.backend.engine == .openssl))
    }

    @Test("an engine that declares it reads PKCS#12 trust attributes reads them", arguments: EngineUnderTest.all)
    func pkcs12TrustAttributesAreHonest(engine: EngineUnderTest) throws {
        let root = try TestPKI(engine).root()
        let file = try engine.backend.createPKCS12(.truststore([("ca", root.der)], protection: .aes256), password: "p")
        let read = try PKCS12Contents(der: file, password: "p", includeKey: false, using: engine.backend)
        let declared = engine.backend.capabilities.contains(.pkcs12TrustAttributes)
        #expect(read.certificates.map(\.trustedForJava) == [declared])
        #expect(declared == (engine.backend.engine == .openssl))
    }
}
