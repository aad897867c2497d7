import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Certificates are made and read the same on every engine")
struct CertificateConformanceTests {
    @Test("a root CA carries the CA profile", arguments: EngineUnderTest.all, KeyType.allCases)
    func rootCACarriesTheCAProfile(engine: EngineUnderTest, type: KeyType) throws {
        let root = try TestPKI(engine).root("Example DB CA", keyType: type)
        let info = root.info
        #expect(info.version == 3)
        #expect(info.subject == "CN=Example DB CA")
        #expect(info.issuer == info.subject)
        #expect(info.isCA)
        #expect(info.keyUsage == [.keyCertSign, .cRLSign, .digitalSignature])
        #expect(info.extendedKeyUsage == nil)
        #expect(info.publicKey == type.publicKeyDescription)
        #expect(info.subjectKeyIdentifier?.count == 20)
        #expect(info.authorityKeyIdentifier == info.subjectKeyIdentifier)
        #expect(info.notAfter.timeIntervalSince(TestPKI.now) == 7300 * TestPKI.day)
        #expect(info.notBefore == TestPKI.now.addingTimeInterval(-60))
        let expectedSignature: String =
            switch type {
            case .ecdsaP256, .ecdsaP384: "1.2.840.10045.4.3.2"
            case .rsa2048, .rsa3072, .rsa4096: "1.2.840.113549.1.1.11"
            case .ed25519: "1.3.101.112"
            }
        #expect(info.signatureAlgorithmOID == expectedSignature)
    }

    @Test("a serial is 16 random bytes, positive, and never repeats", arguments: EngineUnderTest.all)
    func serialsAreRandomAndPositive(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        var seen = Set<[UInt8]>()
        for index in 0..<8 {
            let leaf = try pki.issue(.client(name: "client\(index)"), by: root)
            let serial = leaf.info.serialNumber
            #expect(serial.count == 16 || (serial.count == 17 && serial[0] == 0 && serial[1] & 0x80 != 0))
            #expect(serial.first! & 0x80 == 0)
            #expect(seen.insert(serial).inserted)
        }
    }

    @Test("a server leaf carries its names, serverAuth and the issuer's key id", arguments: EngineUnderTest.all)
    func serverLeafCarriesItsNames(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let leaf = try pki.issue(
            .server(
                name: "db1.example.com", dns: ["db1.example.com", "db1"],
                ips: [IPAddress("192.0.2.10")!, IPAddress("2001:db8::10")!]),
            by: root, keyType: .rsa2048)
        let info = leaf.info
        #expect(info.subject == "CN=db1.example.com")
        #expect(info.issuer == "CN=dbpki Test Root")
        #expect(!info.isCA)
        #expect(info.pathLengthConstraint == nil)
        #expect(info.keyUsage == [.digitalSignature, .keyEncipherment])
        #expect(info.extendedKeyUsage == [ExtendedKeyUsage.serverAuth])
        #expect(
            info.subjectAlternativeNames == [
                .dns("db1.example.com"), .dns("db1"), .ip(IPAddress("192.0.2.10")!), .ip(IPAddress("2001:db8::10")!),
            ])
        #expect(info.authorityKeyIdentifier == root.info.subjectKeyIdentifier)
        #expect(info.fingerprintSHA256 == (try engine.backend.digest(.sha256, leaf.der)))
    }

    @Test("a leaf never outlives its CA", arguments: EngineUnderTest.all)
    func leafNeverOutlivesItsCA(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let issuing = try pki.issue(.intermediateCA(name: "Short CA", days: 10), by: root)
        let leaf = try pki.issue(.client(name: "c", days: 825), by: issuing)
        #expect(leaf.info.notAfter == issuing.info.notAfter)
    }

    @Test("an intermediate carries its path length", arguments: EngineUnderTest.all)
    func intermediateCarriesPathLength(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let intermediate = try pki.issue(.intermediateCA(name: "Issuing", pathLength: 0), by: pki.root())
        #expect(intermediate.info.isCA)
        #expect(intermediate.info.pathLengthConstraint == 0)
    }

    @Test("names with RFC 4514 specials and UTF-8 print the same", arguments: EngineUnderTest.pairs)
    func specialNamesPrintTheSame(pair: EnginePair) throws {
        let pki = TestPKI(pair.maker)
        let root = try pki.root()
        let leaf = try pki.custom(subject: "x", by: root) {
            $0.subject = DistinguishedName([
                .country("DE"), .organization("Müller, Söhne + Co"), .organizationalUnit("#ops"),
                .commonName(" db\"1\" "),
            ])
        }
        let info = try pair.checker.backend.parseCertificate(der: leaf.der)
        #expect(info.subject == ##"CN=\ db\"1\"\ ,OU=\#ops,O=Müller\, Söhne \+ Co,C=DE"##)
    }

    @Test("validity after 2049 survives as GeneralizedTime", arguments: EngineUnderTest.pairs)
    func validityAfter2049Survives(pair: EnginePair) throws {
        let far = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        let cert = try TestPKI(pair.maker).custom(subject: "far", by: nil) { $0.notAfter = far }
        #expect(try pair.checker.backend.parseCertificate(der: cert.der).notAfter == far)
    }

    @Test("both engines parse every certificate to the same value", arguments: EngineUnderTest.pairs)
    func enginesParseAlike(pair: EnginePair) throws {
        let pki = TestPKI(pair.maker)
        let chain = try pki.standardChain(leafKeyType: .ed25519)
        for cert in [chain.root, chain.intermediate, chain.leaf] {
            #expect(try pair.checker.backend.parseCertificate(der: cert.der) == cert.info)
        }
    }
}
