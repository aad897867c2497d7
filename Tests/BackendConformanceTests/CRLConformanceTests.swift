import DBPKI
import Foundation
import Testing

@Suite("CRLs are made and read the same on every engine")
struct CRLConformanceTests {
    @Test("a CRL lists its revoked serials and reads back on either engine", arguments: EngineUnderTest.pairs)
    func crlRoundTrip(pair: EnginePair) throws {
        let pki = TestPKI(pair.maker)
        let root = try pki.root()
        let leaves = try (0..<3).map { try pki.issue(.client(name: "c\($0)"), by: root) }
        let revoked = leaves.prefix(2).map {
            RevokedCertificate(serialNumber: $0.info.serialNumber, revocationDate: TestPKI.now, reason: .keyCompromise)
        }
        let der = try pair.maker.backend.createCRL(
            CRLRequest(
                thisUpdate: TestPKI.now, nextUpdate: TestPKI.now.addingTimeInterval(30 * TestPKI.day),
                crlNumber: [0x05], revoked: revoked, authorityKeyIdentifier: root.info.subjectKeyIdentifier),
            issuer: root.der, signingKey: root.key)
        let info = try pair.checker.backend.parseCRL(der: der)
        #expect(info.issuer == "CN=dbpki Test Root")
        #expect(info.thisUpdate == TestPKI.now)
        #expect(info.nextUpdate == TestPKI.now.addingTimeInterval(30 * TestPKI.day))
        #expect(info.crlNumber == [0x05])
        #expect(Set(info.revoked.map(\.serialHex)) == Set(leaves.prefix(2).map(\.info.serialHex)))
        #expect(info.signatureAlgorithmOID == "1.2.840.10045.4.3.2")
    }

    @Test("an empty CRL is still a CRL", arguments: EngineUnderTest.pairs)
    func emptyCRL(pair: EnginePair) throws {
        let root = try TestPKI(pair.maker).root()
        let der = try pair.maker.backend.createCRL(
            CRLRequest(
                thisUpdate: TestPKI.now, nextUpdate: TestPKI.now.addingTimeInterval(TestPKI.day), crlNumber: [1],
                revoked: [], authorityKeyIdentifier: root.info.subjectKeyIdentifier),
            issuer: root.der, signingKey: root.key)
        #expect(try pair.checker.backend.parseCRL(der: der).revoked.isEmpty)
    }
}
