import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Subject attributes and member certificates, written by each engine and read by the other")
struct SubjectConformanceTests {
    /// O, OU, C, ST, L and DC before the CN, in that (unusual) order, to show the order is kept.
    static let under = DistinguishedName([
        .organization("Acme, Inc."), .organizationalUnit("Databases"), .country("DE"), .state("Bavaria"),
        .locality("München"), .domainComponent("example"),
    ])

    /// Each attribute as DER: its OID, then the string type and value the engines must write.
    static let encoded: [(what: String, bytes: [UInt8])] = [
        ("O", [0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 10] + Array("Acme, Inc.".utf8)),
        ("OU", [0x06, 0x03, 0x55, 0x04, 0x0b, 0x0c, 9] + Array("Databases".utf8)),
        ("C", [0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 2] + Array("DE".utf8)),
        ("ST", [0x06, 0x03, 0x55, 0x04, 0x08, 0x0c, 7] + Array("Bavaria".utf8)),
        ("L", [0x06, 0x03, 0x55, 0x04, 0x07, 0x0c, 8] + Array("München".utf8)),
        (
            "DC",
            [0x06, 0x0a, 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19, 0x16, 7] + Array("example".utf8)
        ),
        ("CN", [0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 3] + Array("db1".utf8)),
    ]

    static func offset(of needle: [UInt8], in der: [UInt8]) -> Int? {
        guard der.count >= needle.count else { return nil }
        return (0...(der.count - needle.count)).first { Array(der[$0..<($0 + needle.count)]) == needle }
    }

    @Test(
        "a leaf's subject holds the attributes in the order given, in the right string types, read alike by the other engine",
        arguments: EngineUnderTest.pairs)
    func subjectOrderAndTypes(pair: EnginePair) throws {
        let pki = TestPKI(pair.maker)
        let root = try pki.root()
        let leaf = try pki.issue(.server(name: "db1", dns: ["db1.example.com"], ips: [], under: Self.under), by: root)
        let offsets = try Self.encoded.map { attribute in
            try #require(Self.offset(of: attribute.bytes, in: leaf.der), "\(attribute.what) as expected in the DER")
        }
        #expect(offsets == offsets.sorted())
        let expected = #"CN=db1,DC=example,L=München,ST=Bavaria,C=DE,OU=Databases,O=Acme\, Inc."#
        #expect(leaf.info.subject == expected)
        #expect(try pair.checker.backend.parseCertificate(der: leaf.der).subject == expected)
    }

    @Test(
        "a CA with O and OU has them before its CN, and its leaves name it so as their issuer",
        arguments: EngineUnderTest.all)
    func caSubject(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let key = try engine.backend.generatePrivateKey(.ecdsaP256)
        let der = try pki.issuer().issue(
            .rootCA(name: "Acme DB CA", under: DistinguishedName([.organization("Acme"), .organizationalUnit("DB")])),
            subjectKey: key, authority: nil)
        let root = Issued(der: der, key: key, info: try engine.backend.parseCertificate(der: der))
        #expect(root.info.subject == "CN=Acme DB CA,OU=DB,O=Acme")
        let leaf = try pki.issue(.client(name: "app"), by: root)
        #expect(leaf.info.issuer == "CN=Acme DB CA,OU=DB,O=Acme")
        #expect(try pki.verify(leaf, anchors: [root], policy: TestPKI.policy(purpose: .client)).isValid)
    }

    @Test(
        "a member certificate carries serverAuth and clientAuth and verifies for both purposes on the other engine",
        arguments: EngineUnderTest.pairs)
    func member(pair: EnginePair) throws {
        let pki = TestPKI(pair.maker)
        let root = try pki.root()
        let member = try pki.issue(
            .member(
                name: "rs0-a", dns: ["rs0-a.example.com"], ips: [], under: DistinguishedName([.organization("Acme")])),
            by: root)
        #expect(member.info.extendedKeyUsage == [ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth])
        let checker = TestPKI(pair.checker)
        #expect(try checker.verify(member, anchors: [root], policy: TestPKI.policy(purpose: .server)).isValid)
        #expect(try checker.verify(member, anchors: [root], policy: TestPKI.policy(purpose: .client)).isValid)
        let server = try pki.issue(.server(name: "db1", dns: ["db1.example.com"], ips: []), by: root)
        #expect(try !checker.verify(server, anchors: [root], policy: TestPKI.policy(purpose: .client)).isValid)
    }
}
