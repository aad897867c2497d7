import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("MongoDB mutual TLS material from the store, on every engine")
struct MongoDBBundleConformanceTests {
    func store(_ pki: TemporaryPKI, _ engine: EngineUnderTest, clock: TestClock) throws -> PKIStore {
        try PKIStore(pki.directory, backend: engine.backend, clock: clock.read, options: .init(create: true))
    }

    @Test(
        "a client certificate's subject is read from its DER as mongod names the user", arguments: EngineUnderTest.all)
    func subjectFromCertificate(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let subject = try RFC4514.parse(#"O=Acme\, Inc.,OU=Apps,C=DE"#)
        let leaf = try pki.issue(.client(name: "app", days: 30, under: subject), by: root)
        #expect(try MongoDBSubject(certificate: leaf.der).userName == #"CN=app,C=DE,OU=Apps,O=Acme\, Inc."#)
        #expect(try MongoDBSubject(certificate: leaf.der).userName == leaf.info.subject)
    }

    @Test(
        "an expired client or member is refused for a bundle, with the renew remedy", arguments: EngineUnderTest.all)
    func expiredIsRefused(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let clock = TestClock()
        let store = try store(pki, engine, clock: clock)
        try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 100)
        let under = try RFC4514.parse("O=Acme,OU=Databases")
        try store.issue(
            name: "db1", profile: .server(name: "db1", dns: ["db1"], ips: [], days: 60), keyType: .ecdsaP256)
        try store.issue(name: "app", profile: .client(name: "app", days: 10), keyType: .ecdsaP256)
        try store.issue(
            name: "rs0", profile: .member(name: "rs0", dns: ["rs0"], ips: [], days: 10, under: under),
            keyType: .ecdsaP256)
        let fresh = try store.bundleMaterial(server: "db1", clients: ["app"], member: "rs0")
        #expect(fresh.clients.map(\.name) == ["app"] && fresh.member?.name == "rs0")
        clock.now = TestPKI.now.addingTimeInterval(11 * TestPKI.day)
        for (clients, member) in [(["app"], nil), ([], "rs0") as ([String], String?)] {
            let error = #expect(throws: PKIError.self) {
                try store.bundleMaterial(server: "db1", clients: clients, member: member)
            }
            #expect(error?.code == .invalidInput && error?.message.contains("expired") == true)
            #expect(error?.remedy?.action == .renewFirst)
        }
    }

    @Test("a server or client certificate is refused as a cluster member", arguments: EngineUnderTest.all)
    func memberNeedsBothPurposes(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let store = try store(pki, engine, clock: TestClock())
        try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 100)
        try store.issue(
            name: "db1", profile: .server(name: "db1", dns: ["db1"], ips: [], days: 60), keyType: .ecdsaP256)
        try store.issue(name: "app", profile: .client(name: "app", days: 10), keyType: .ecdsaP256)
        for member in ["db1", "app"] {
            let error = #expect(throws: PKIError.self) { try store.bundleMaterial(server: "db1", member: member) }
            #expect(error?.code == .invalidArgument && error?.remedy?.action == .issueAsMember)
        }
    }
}
