import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Renewal and CA rollover through the store, on every engine")
struct RotationTests {
    static let start = TestPKI.now

    func store(_ pki: TemporaryPKI, _ engine: EngineUnderTest, clock: TestClock = TestClock()) throws -> PKIStore {
        try PKIStore(pki.directory, backend: engine.backend, clock: clock.read, options: .init(create: true))
    }

    @Test(
        "init and issue record CAs and leaves with their issuer's fingerprint and relative paths",
        arguments: EngineUnderTest.all)
    func recording(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let store = try store(pki, engine)
        let ca = try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 3650)
        let leaf = try store.issue(
            name: "db1", profile: .server(name: "db1", dns: ["db1.example.com"], ips: [IPAddress("10.0.0.5")!]),
            keyType: .ecdsaP384)
        let records = try store.inventory.all()
        #expect(records.map(\.kind) == [.ca, .server])
        #expect(
            records[0].caRole == .current && records[0].certificatePath == "ca.crt" && records[0].keyPath == "ca.key")
        #expect(records[1].issuerFingerprint == ca.fingerprintHex)
        #expect(records[1].serial == leaf.serialHex && records[1].fingerprint == leaf.fingerprintHex)
        #expect(records[1].subjectAlternativeNames == ["DNS:db1.example.com", "IP:10.0.0.5"])
        #expect(records[1].keyType == "EC P-384" && records[1].profile == "server")
        #expect(records[1].notAfter == leaf.notAfter)
        #expect(try store.doctor().isEmpty)
    }

    @Test("a serial already taken under the issuer's name is drawn again", arguments: EngineUnderTest.all)
    func serialCollision(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let store = try store(pki, engine)
        try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 3650)
        let script = SerialScript([[0x01, 0x23], [0x01, 0x23], [0x45, 0x67]])
        store.issuer.serialNumbers = { script.next() }
        let first = try store.issue(name: "a", profile: .client(name: "a"), keyType: .ecdsaP256)
        let second = try store.issue(name: "b", profile: .client(name: "b"), keyType: .ecdsaP256)
        #expect(first.serialHex == "123")
        #expect(second.serialHex == "4567")
    }

    @Test(
        "renew keeps names and profile, caps validity at the CA, and supersedes the old record",
        arguments: EngineUnderTest.all)
    func renewal(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let clock = TestClock(Self.start)
        let store = try store(pki, engine, clock: clock)
        let ca = try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 100)
        let first = try store.issue(
            name: "app", profile: .client(name: "app", days: 30), keyType: .rsa2048)
        let later = Self.start.addingTimeInterval(20 * TestPKI.day)
        clock.now = later
        let renewal = try store.renew(name: "app", days: 825)
        #expect(renewal.certificate.notAfter == ca.notAfter)
        #expect(renewal.certificate.serialHex != first.serialHex)
        #expect(renewal.certificate.subject == "CN=app")
        #expect(renewal.certificate.extendedKeyUsage == [ExtendedKeyUsage.clientAuth])
        #expect(renewal.certificate.publicKey == KeyType.rsa2048.publicKeyDescription)
        let records = try store.inventory.all().filter { $0.name == "app" }
        #expect(records.map(\.status) == [.superseded, .active])
        #expect(records[0].certificatePath == "history/app-\(first.serialHex).crt" && records[0].keyPath == nil)
        #expect(records[0].supersededAt == later)
        #expect(FileManager.default.fileExists(atPath: pki.directory.absolute(records[0].certificatePath)))
        #expect(try store.doctor().isEmpty)

        // The CA itself ends inside the window: renewing could not help, so nothing is renewed.
        #expect(throws: PKIError.self) {
            clock.now = Self.start.addingTimeInterval(75 * TestPKI.day)
            return try store.renewExpiring(within: 30 * TestPKI.day)
        }
        #expect(try store.inventory.all().filter { $0.name == "app" }.count == 2)
    }

    @Test(
        "renew --expiring-within renews what is inside the window and leaves the rest",
        arguments: EngineUnderTest.all)
    func renewExpiring(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let clock = TestClock(Self.start)
        let store = try store(pki, engine, clock: clock)
        try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 1000)
        try store.issue(
            name: "soon", profile: .client(name: "soon", days: 40), keyType: .ecdsaP256)
        try store.issue(
            name: "later", profile: .client(name: "later", days: 90), keyType: .ecdsaP256)
        let at = Self.start.addingTimeInterval(15 * TestPKI.day)
        clock.now = at
        let due = try store.renewExpiring(within: 30 * TestPKI.day, days: 60)
        #expect(due.map(\.name) == ["soon"])
        #expect(due.first?.certificate.notAfter ?? at > at.addingTimeInterval(59 * TestPKI.day))
        #expect(try store.renewExpiring(within: 30 * TestPKI.day).isEmpty)
    }

    @Test(
        "rollover trusts new then old CA, refuses a second rollover, and retire-old waits for renewals",
        arguments: EngineUnderTest.all)
    func rollover(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let store = try store(pki, engine)
        let oldCA = try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 3650)
        let leaf = try store.issue(
            name: "db1", profile: .server(name: "db1", dns: ["db1.example.com"], ips: []), keyType: .ed25519)
        let (newCA, demoted) = try store.rolloverCA(keyType: .ecdsaP384)
        #expect(newCA.subject == "CN=Test CA G2" && demoted.fingerprint == oldCA.fingerprintHex)
        #expect(PKIStore.nextGeneration(of: "Test CA G2") == "Test CA G3")
        let trusted = try store.checkedTrustedCAs()
        #expect(trusted == [newCA.der, oldCA.der])

        // The merged trust list accepts the leaf signed by the old CA.
        let request = VerificationRequest(
            leaf: leaf.der, trustAnchors: trusted,
            policy: VerificationPolicy(time: Self.start.addingTimeInterval(TestPKI.day)))
        #expect(try engine.backend.verify(request).isValid)

        #expect(throws: PKIError.self) { try store.rolloverCA() }
        let status = try store.caStatus()
        #expect(status.phase == .rolloverInProgress && status.stillOnOldCA.map(\.name) == ["db1"])
        guard case .refused(_, let still) = try store.retireOldCA(force: false) else {
            Issue.record("retire-old did not refuse")
            return
        }
        #expect(still.map(\.name) == ["db1"])

        let renewed = try store.renew(name: "db1", reuseKey: true)
        #expect(renewed.certificate.issuer == "CN=Test CA G2")
        #expect(try store.caStatus().phase == .readyToRetire)
        guard case .retired(let retired, _) = try store.retireOldCA(force: false) else {
            Issue.record("retire-old refused")
            return
        }
        #expect(retired.caRole == .retired && retired.certificatePath == "history/ca-\(oldCA.serialHex).crt")
        #expect(try store.checkedTrustedCAs() == [newCA.der])
        #expect(try store.caStatus().phase == .singleCA)
        #expect(try store.doctor().isEmpty)
        // A rollover after retiring is allowed again.
        #expect(try store.rolloverCA().new.subject == "CN=Test CA G3")
    }
}
