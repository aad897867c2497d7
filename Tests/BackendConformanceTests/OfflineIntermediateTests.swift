import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Offline intermediates (a request signed as a CA, then imported) through the store, on every engine")
struct OfflineIntermediateTests {
    /// SUB waiting for its certificate (its key made by `engine`), and its request as the root reads it.
    func waiting(_ hierarchy: Hierarchy, engine: EngineUnderTest) throws -> (PKIStore, CertificateSigningRequest) {
        let sub = try PKIStore(
            PKIDirectory(hierarchy.scratch.file("sub")), backend: engine.backend, clock: hierarchy.clock.read,
            options: .init(create: true))
        let der = try sub.createPendingCA(
            name: "Issuing CA", keyType: .ecdsaP256, under: DistinguishedName([.organization("Acme")]))
        return (sub, try hierarchy.root.backend.parseSigningRequest(der: der))
    }

    @Test(
        "a signed request gets the profile init --parent gives, and the root records it as it records one",
        arguments: EngineUnderTest.all)
    func sameProfileAndRecord(engine: EngineUnderTest) throws {
        let hierarchy = try Hierarchy(engine)
        let (_, request) = try waiting(hierarchy, engine: engine)
        let signed = try hierarchy.root.signIntermediate(request, pathLength: 1, days: 3650)
        let online = try hierarchy.intermediate("online", pathLength: 1)
        let rootCA = try hierarchy.root.currentAuthority().info
        #expect(signed.info.subject == "CN=Issuing CA,O=Acme" && signed.info.issuer == rootCA.subject)
        #expect(signed.info.isCA && signed.info.pathLengthConstraint == 1)
        #expect(signed.info.keyUsage == online.info.keyUsage)
        #expect(signed.info.authorityKeyIdentifier == rootCA.subjectKeyIdentifier)
        #expect(signed.info.extensions.map(\.oid).sorted() == online.info.extensions.map(\.oid).sorted())
        #expect(signed.info.extensions.map(\.critical) == online.info.extensions.map(\.critical))
        #expect(signed.certificateWithIntermediates == [signed.info.der])
        let records = try hierarchy.root.inventory.records(serial: signed.info.serialHex)
        let onlineRecord = try #require(try hierarchy.root.inventory.records(serial: online.info.serialHex).first)
        #expect(records.count == 1)
        #expect(records.first?.kind == onlineRecord.kind && records.first?.profile == onlineRecord.profile)
        #expect(records.first?.certificatePath == "intermediates/\(signed.info.serialHex).crt")
        #expect(try hierarchy.root.doctor().isEmpty)
    }

    @Test("an expired root signs no request, and nothing changes", arguments: EngineUnderTest.all)
    func expiredRoot(engine: EngineUnderTest) throws {
        let clock = TestClock()
        let hierarchy = try Hierarchy(engine, rootDays: 10, clock: clock)
        let (_, request) = try waiting(hierarchy, engine: engine)
        let before = try hierarchy.root.inventory.all()
        clock.now = TestPKI.now.addingTimeInterval(11 * TestPKI.day)
        #expect(throws: PKIError.self) { try hierarchy.root.signIntermediate(request, pathLength: 0, days: 30) }
        #expect(try hierarchy.root.inventory.all() == before)
        #expect(!hierarchy.entries("root").contains("intermediates"))
    }

    @Test(
        "an import is checked at the store's time: a certificate that has expired since is refused, SUB waiting",
        arguments: EngineUnderTest.all)
    func expiredImport(engine: EngineUnderTest) throws {
        let clock = TestClock()
        let hierarchy = try Hierarchy(engine, clock: clock)
        let (sub, request) = try waiting(hierarchy, engine: engine)
        let signed = try hierarchy.root.signIntermediate(request, pathLength: 0, days: 5)
        let root = try hierarchy.root.currentAuthority().certificate
        clock.now = TestPKI.now.addingTimeInterval(6 * TestPKI.day)
        let late = try sub.importCACertificate(signed.certificateWithIntermediates, root: root)
        #expect(!late.isImported && late.refusals.contains { $0.contains("does not chain") }, "\(late.refusals)")
        #expect(try sub.inventory.pendingCARequest() != nil && sub.inventory.ca(.current) == nil)
        #expect(!hierarchy.entries("sub").contains("ca.crt"))
        clock.now = TestPKI.now.addingTimeInterval(1 * TestPKI.day)
        let imported = try sub.importCACertificate(signed.certificateWithIntermediates, root: root)
        #expect(imported.isImported, "\(imported.refusals)")
        #expect(try sub.inventory.pendingCARequest() == nil)
        #expect(try sub.inventory.ca(.current)?.profile == CertificateProfile.Role.intermediateCA.rawValue)
        #expect(try sub.chainAbove() == [root])
        #expect(try sub.doctor().isEmpty)
    }
}
