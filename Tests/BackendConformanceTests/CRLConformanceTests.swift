import DBPKI
import DBPKITestSupport
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
            RevokedCertificate(serialNumber: $0.info.serialNumber, revocationDate: TestPKI.now)
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

    @Test(
        "reason codes are written by OpenSSL and read by both; GnuTLS refuses to write them rather than drop them",
        arguments: EngineUnderTest.pairs)
    func reasonCodes(pair: EnginePair) throws {
        let root = try TestPKI(pair.maker).root()
        let request = CRLRequest(
            thisUpdate: TestPKI.now, nextUpdate: TestPKI.now.addingTimeInterval(TestPKI.day), crlNumber: [2],
            revoked: [
                RevokedCertificate(serialNumber: [0x01, 0x23], revocationDate: TestPKI.now, reason: .keyCompromise)
            ],
            authorityKeyIdentifier: root.info.subjectKeyIdentifier)
        guard pair.maker.backend.engine != .gnutls else {
            // GnuTLS 3.7 has no API for CRL entry extensions.
            let error = #expect(throws: PKIError.self) {
                try pair.maker.backend.createCRL(request, issuer: root.der, signingKey: root.key)
            }
            #expect(error?.code == .unsupported)
            return
        }
        let der = try pair.maker.backend.createCRL(request, issuer: root.der, signingKey: root.key)
        #expect(try pair.checker.backend.parseCRL(der: der).revoked.map(\.reason) == [.keyCompromise])
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
