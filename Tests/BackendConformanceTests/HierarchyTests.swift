import DBPKI
import DBPKITestSupport
import Foundation
import Testing

/// A root PKI and the directories of its intermediates, in one scratch folder, each store at one clock.
final class Hierarchy {
    let scratch: ScratchFolder
    let engine: EngineUnderTest
    let clock: TestClock
    let root: PKIStore

    init(_ engine: EngineUnderTest, rootDays: Int = 7300, clock: TestClock = TestClock()) throws {
        scratch = try ScratchFolder()
        self.engine = engine
        self.clock = clock
        root = try PKIStore(
            PKIDirectory(scratch.file("root")), backend: engine.backend, clock: clock.read,
            options: .init(create: true))
        try root.createCA(name: "Test Root", keyType: .ecdsaP256, days: rootDays)
    }

    /// Opens `name` as an intermediate site under `parent` (the root store by default).
    func intermediate(
        _ name: String, under parent: PKIStore? = nil, pathLength: Int = 0, days: Int = 3650
    ) throws -> CreatedIntermediate {
        let parent = parent ?? root
        let (site, _) = try IntermediateSite.open(PKIDirectory(scratch.file(name)), parent: parent.directory) { _ in
            parent
        }
        return try parent.createIntermediate(
            at: site, name: "Issuing \(name)", keyType: .ecdsaP256, days: days, pathLength: pathLength)
    }

    /// The store of the intermediate directory `name`.
    func store(_ name: String, engine: EngineUnderTest? = nil) throws -> PKIStore {
        try PKIStore(
            PKIDirectory(scratch.file(name)), backend: (engine ?? self.engine).backend, clock: clock.read)
    }

    /// Every entry of a directory (empty when it does not exist).
    func entries(_ name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: scratch.file(name))) ?? []).sorted()
    }
}

@Suite("Intermediate CAs (init --parent) through the store, on every engine")
struct HierarchyTests {
    @Test(
        "an intermediate is a CA with its path length, CA key usages and key identifiers, recorded in both PKIs",
        arguments: EngineUnderTest.all)
    func intermediateShape(engine: EngineUnderTest) throws {
        let hierarchy = try Hierarchy(engine)
        let made = try hierarchy.intermediate("sub", pathLength: 1)
        let rootCA = try hierarchy.root.currentAuthority().info
        #expect(made.info.isCA && made.info.pathLengthConstraint == 1)
        #expect(made.info.keyUsage?.contains(.keyCertSign) == true && made.info.keyUsage?.contains(.cRLSign) == true)
        #expect(made.info.authorityKeyIdentifier == rootCA.subjectKeyIdentifier)
        #expect(made.info.subjectKeyIdentifier != nil && made.info.issuer == rootCA.subject)
        #expect(made.chainAbove.map(\.fingerprintHex) == [rootCA.fingerprintHex])

        let recorded = try #require(
            try hierarchy.root.inventory.all().first { $0.fingerprint == made.info.fingerprintHex })
        #expect(recorded.kind == .ca && recorded.isSignedIntermediate && recorded.keyPath == nil)
        #expect(recorded.issuerFingerprint == rootCA.fingerprintHex)
        let sub = try hierarchy.store("sub")
        #expect(try sub.currentAuthority().info.fingerprintHex == made.info.fingerprintHex)
        #expect(try sub.chainAbove() == [rootCA.der])
        #expect(try hierarchy.root.doctor().isEmpty)
        #expect(try sub.doctor().isEmpty)
        #expect(hierarchy.entries("sub").contains("root.crt"))
    }

    @Test(
        "an intermediate never outlives its parent CA: a longer validity ends with it", arguments: EngineUnderTest.all)
    func cappedByParent(engine: EngineUnderTest) throws {
        let hierarchy = try Hierarchy(engine, rootDays: 100)
        let made = try hierarchy.intermediate("sub", days: 3650)
        #expect(made.cappedByParent)
        #expect(made.info.notAfter == (try hierarchy.root.currentAuthority().info.notAfter))
        #expect(!(try hierarchy.intermediate("short", days: 10)).cappedByParent)
    }

    @Test(
        "a path length is kept: under a pathLen-0 intermediate no CA can be made, under pathLen 1 one level can",
        arguments: EngineUnderTest.all)
    func pathLength(engine: EngineUnderTest) throws {
        let hierarchy = try Hierarchy(engine)
        _ = try hierarchy.intermediate("leavesOnly", pathLength: 0)
        let leavesOnly = try hierarchy.store("leavesOnly")
        #expect(throws: PKIError.self) { try hierarchy.intermediate("below", under: leavesOnly) }
        #expect(hierarchy.entries("below").isEmpty)

        _ = try hierarchy.intermediate("oneLevel", pathLength: 1)
        let oneLevel = try hierarchy.store("oneLevel")
        #expect(throws: PKIError.self) { try hierarchy.intermediate("tooDeep", under: oneLevel, pathLength: 1) }
        let second = try hierarchy.intermediate("second", under: oneLevel, pathLength: 0)
        let store = try hierarchy.store("second")
        #expect(try store.chainAbove().count == 2)
        #expect(second.chainAbove.last?.isSelfIssued == true)
        let leaf = try store.issue(
            name: "db1", profile: .server(name: "db1", dns: ["db1.example.com"], ips: []), keyType: .ecdsaP256)
        let request = VerificationRequest(
            leaf: leaf.der, intermediates: [second.info.der] + (try store.chainAbove().dropLast()),
            trustAnchors: [try hierarchy.root.currentAuthority().certificate], policy: TestPKI.policy())
        #expect(try engine.backend.verify(request).isValid)
    }

    @Test(
        "an expired parent CA signs no intermediate, and neither directory changes", arguments: EngineUnderTest.all)
    func expiredParent(engine: EngineUnderTest) throws {
        let clock = TestClock()
        let hierarchy = try Hierarchy(engine, rootDays: 10, clock: clock)
        let before = try hierarchy.root.inventory.all()
        clock.now = TestPKI.now.addingTimeInterval(11 * TestPKI.day)
        #expect(throws: PKIError.self) { try hierarchy.intermediate("sub") }
        #expect(try hierarchy.root.inventory.all() == before)
        #expect(!FileManager.default.fileExists(atPath: hierarchy.scratch.file("sub")))
        #expect(!hierarchy.entries("root").contains("intermediates"))
    }

    @Test(
        "an intermediate directory that cannot be written leaves the parent without a record of it",
        arguments: EngineUnderTest.all)
    func unwritableIntermediate(engine: EngineUnderTest) throws {
        let hierarchy = try Hierarchy(engine)
        // A file where the intermediate's staging folder must go: staging fails before the parent commits.
        try hierarchy.scratch.write("sub/.staging", "not a folder")
        let before = try hierarchy.root.inventory.all()
        #expect(throws: PKIError.self) { try hierarchy.intermediate("sub") }
        #expect(try hierarchy.root.inventory.all() == before)
        #expect(hierarchy.entries("sub") == [".staging"])
        #expect(try hierarchy.root.doctor().isEmpty)
    }

    @Test(
        "a root, an intermediate and a leaf made by one engine are read and verified by the other",
        arguments: EngineUnderTest.pairs)
    func crossEngine(pair: EnginePair) throws {
        let hierarchy = try Hierarchy(pair.maker)
        let made = try hierarchy.intermediate("sub")
        let leaf = try hierarchy.store("sub").issue(
            name: "db1", profile: .server(name: "db1", dns: ["db1.example.com"], ips: []), keyType: .ecdsaP256)
        let checker = pair.checker.backend
        let parsed = try checker.parseCertificate(der: made.info.der)
        #expect(parsed.isCA && parsed.pathLengthConstraint == 0 && parsed.fingerprintHex == made.info.fingerprintHex)
        // The checker's store reads the maker's directory and issues under the intermediate too.
        let other = try hierarchy.store("sub", engine: pair.checker)
        #expect(try other.doctor().isEmpty)
        for der in [leaf.der, try other.issue(name: "db2", profile: .client(name: "db2"), keyType: .ecdsaP256).der] {
            let request = VerificationRequest(
                leaf: der, intermediates: [made.info.der],
                trustAnchors: [try hierarchy.root.currentAuthority().certificate],
                policy: TestPKI.policy(purpose: der == leaf.der ? .server : .client))
            #expect(try checker.verify(request).isValid)
        }
    }

    @Test("an intermediate is revoked in its parent and listed on the parent's CRL", arguments: EngineUnderTest.all)
    func revocation(engine: EngineUnderTest) throws {
        let hierarchy = try Hierarchy(engine)
        let made = try hierarchy.intermediate("sub")
        let revoked = try hierarchy.root.revoke(serial: made.info.serialHex, reason: .cessationOfOperation)
        #expect(revoked.status == .revoked && revoked.kind == .ca)
        let crl = try hierarchy.root.makeCRL(includeReasons: engine.backend.capabilities.contains(.crlEntryReasons))
        #expect(crl.info.revoked.map(\.serialHex) == [made.info.serialHex])
        #expect(throws: PKIError.self) {
            try hierarchy.root.revoke(
                serial: try hierarchy.root.currentAuthority().info.serialHex, reason: .unspecified)
        }
    }

    @Test(
        "an intermediate rollover that cannot be staged leaves both directories as they were",
        arguments: EngineUnderTest.all)
    func failedRollover(engine: EngineUnderTest) throws {
        let hierarchy = try Hierarchy(engine)
        let made = try hierarchy.intermediate("sub")
        let sub = try hierarchy.store("sub")
        // A file where the intermediate's staging folder must go: staging fails before the parent commits.
        try FileManager.default.removeItem(atPath: hierarchy.scratch.file("sub/.staging"))
        try hierarchy.scratch.write("sub/.staging", "not a folder")
        let before = try hierarchy.root.inventory.all()
        #expect(throws: PKIError.self) { try sub.rolloverIntermediate(under: hierarchy.root) }
        #expect(try hierarchy.root.inventory.all() == before)
        #expect(before.first { $0.fingerprint == made.info.fingerprintHex }?.status == .active)
        #expect(try sub.currentAuthority().info.fingerprintHex == made.info.fingerprintHex)
        #expect(try sub.inventory.ca(.old) == nil)
    }
}
