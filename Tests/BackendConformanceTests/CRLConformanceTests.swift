import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("CRLs are made and read the same on every engine")
struct CRLConformanceTests {
    /// A CRL for `issuer`, made on `engine`, revoking `serials`; signed by `key` instead of the
    /// issuer's key to forge one.
    private func crl(
        on engine: EngineUnderTest, by issuer: Issued, revoking serials: [[UInt8]], signedBy key: PrivateKey? = nil,
        thisUpdate: Date = TestPKI.now.addingTimeInterval(-60),
        nextUpdate: Date = TestPKI.now.addingTimeInterval(7 * TestPKI.day)
    ) throws -> [UInt8] {
        let request = CRLRequest(
            thisUpdate: thisUpdate, nextUpdate: nextUpdate, crlNumber: [0x00, 0x9c],
            revoked: serials.map { RevokedCertificate(serialNumber: $0, revocationDate: thisUpdate) },
            authorityKeyIdentifier: issuer.info.subjectKeyIdentifier)
        return try engine.backend.createCRL(request, issuer: issuer.der, signingKey: key ?? issuer.key)
    }

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

    @Test(
        "a CRL keeps its dates, number, digest and the request's order of entries, and extra bytes make it invalid input",
        arguments: EngineUnderTest.pairs)
    func crlKeepsEveryField(pair: EnginePair) throws {
        let chain = try WebChain(pair.maker)
        let thisUpdate = Date(timeIntervalSince1970: 1_750_000_000)
        let entries = [
            RevokedCertificate(serialNumber: [0x7f, 0x01], revocationDate: thisUpdate),
            RevokedCertificate(serialNumber: [0x00, 0x80], revocationDate: thisUpdate.addingTimeInterval(1)),
            RevokedCertificate(serialNumber: [0x05], revocationDate: thisUpdate),
        ]
        let request = CRLRequest(
            thisUpdate: thisUpdate, nextUpdate: thisUpdate.addingTimeInterval(86_400), crlNumber: [0x01, 0x00],
            revoked: entries, authorityKeyIdentifier: chain.intermediate.info.subjectKeyIdentifier, digest: .sha384)
        let der = try pair.maker.backend.createCRL(
            request, issuer: chain.intermediate.der, signingKey: chain.intermediate.key)
        let checker = pair.checker.backend
        let info = try checker.parseCRL(der: der)
        #expect(info.issuer == "CN=Test Intermediate")
        #expect(info.thisUpdate == thisUpdate && info.nextUpdate == thisUpdate.addingTimeInterval(86_400))
        #expect(info.crlNumber == [0x01, 0x00])
        #expect(info.revoked == entries)  // request order is kept
        #expect(info.signatureAlgorithmOID == "1.2.840.10045.4.3.3")
        #expect(info.der == der)
        for bad in [[], der + [0], der + [0, 0], [0x30, 0x00]] {
            #expect("\(bad.count) bytes") { try checker.parseCRL(der: bad) } throws: {
                ($0 as? PKIError)?.code == .invalidInput
            }
        }
    }

    @Test(
        "a revoked leaf is refused at depth 0 alongside its other failures, and a CA without a CRL is no failure",
        arguments: EngineUnderTest.pairs)
    func crlsAreApplied(pair: EnginePair) throws {
        let chain = try WebChain(pair.maker)
        // The root has no CRL here: that is not a failure.
        #expect(
            try chain.verify(
                crls: [try crl(on: pair.maker, by: chain.intermediate, revoking: [[0x01, 0x02]])], on: pair.checker
            ).isValid)
        let leafCRL = try crl(
            on: pair.maker, by: chain.intermediate, revoking: [[0x01, 0x02], chain.leaf.info.serialNumber])
        let revoked = try chain.verify(crls: [leafCRL], on: pair.checker)
        #expect(revoked.reasons == [.revoked], "\(revoked.failures)")
        #expect(revoked.failures.first?.depth == 0)
        // Revocation is reported together with other failures.
        let both = try chain.verify(
            crls: [leafCRL], policy: TestPKI.policy(peer: .dns("nope.example")), on: pair.checker)
        #expect(Set(both.reasons) == [.revoked, .hostnameMismatch], "\(both.failures)")
        // An empty CRL from the root: the intermediate is checked and fine.
        let rootCRL = try crl(on: pair.maker, by: chain.root, revoking: [])
        let rootCRLInfo = try pair.checker.backend.parseCRL(der: rootCRL)
        #expect(rootCRLInfo.revoked.isEmpty && rootCRLInfo.crlNumber == [0x00, 0x9c])
        #expect(try chain.verify(crls: [rootCRL], on: pair.checker).isValid)
    }

    @Test(
        "a CRL past its nextUpdate, or signed by another key than its issuer's, is unusable",
        arguments: EngineUnderTest.pairs)
    func staleAndForgedCRLsAreUnusable(pair: EnginePair) throws {
        let chain = try WebChain(pair.maker)
        let rootCRL = try crl(on: pair.maker, by: chain.root, revoking: [])
        #expect(try chain.verify(crls: [rootCRL], on: pair.checker).isValid)
        // Later than nextUpdate the CRL is unusable.
        let late = TestPKI.policy(at: TestPKI.now.addingTimeInterval(8 * TestPKI.day))
        #expect(try chain.verify(crls: [rootCRL], policy: late, on: pair.checker).reasons == [.invalidCRL])
        let stale = try crl(
            on: pair.maker, by: chain.intermediate, revoking: [],
            thisUpdate: TestPKI.now.addingTimeInterval(-20 * TestPKI.day),
            nextUpdate: TestPKI.now.addingTimeInterval(-10 * TestPKI.day))
        #expect(try chain.verify(crls: [stale], on: pair.checker).reasons == [.invalidCRL])
        // A CRL claiming to be the intermediate's but signed by another key is unusable.
        let forged = try crl(
            on: pair.maker, by: chain.intermediate, revoking: [chain.leaf.info.serialNumber], signedBy: chain.root.key)
        let forgedResult = try chain.verify(crls: [forged], on: pair.checker)
        #expect(!forgedResult.isValid && forgedResult.reasons.contains(.invalidCRL), "\(forgedResult.failures)")
        // GnuTLS reports nothing else (see the engine-specific tests); OpenSSL also reports the leaf revoked.
    }

    @Test("an Ed25519 CA signs its CRL with Ed25519", arguments: EngineUnderTest.pairs)
    func ed25519SignsCRLs(pair: EnginePair) throws {
        let ca = try TestPKI(pair.maker).root("Ed CA", keyType: .ed25519)
        let crl = try pair.maker.backend.createCRL(
            CRLRequest(
                thisUpdate: TestPKI.now, nextUpdate: TestPKI.now.addingTimeInterval(TestPKI.day), crlNumber: [1],
                revoked: [],
                authorityKeyIdentifier: nil),
            issuer: ca.der, signingKey: ca.key)
        let info = try pair.checker.backend.parseCRL(der: crl)
        #expect(info.signatureAlgorithmOID == "1.3.101.112" && info.issuer == "CN=Ed CA")
        let leaf = try TestPKI(pair.maker).issue(.client(name: "c"), by: ca)
        let result = try TestPKI(pair.checker).verify(
            leaf, anchors: [ca], crls: [crl], policy: TestPKI.policy(purpose: .client))
        #expect(result.isValid, "\(result.failures)")
    }
}
