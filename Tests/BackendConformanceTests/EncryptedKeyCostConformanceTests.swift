import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite(
    "Encrypted PKCS#8: every engine's own keys open under the core's cost cap, and hostile ones are refused before an engine derives anything"
)
struct EncryptedKeyCostConformanceTests {
    @Test(
        "a key made by each engine opens; a hostile iteration count is refused at once", arguments: EngineUnderTest.all)
    func enginesRefuseHostileKeys(engine: EngineUnderTest) throws {
        let key = try engine.backend.generatePrivateKey(.ecdsaP256)
        let encrypted = try engine.backend.exportEncryptedPrivateKey(key, passphrase: "correct horse")
        #expect(throws: Never.self) { try EncryptedKeyCost.check(encrypted) }
        _ = try engine.backend.importPrivateKey(der: encrypted, format: .encryptedPKCS8, passphrase: "correct horse")

        // 2^31 - 1 iterations: minutes of PBKDF2 without the cap.
        let hostile = EncryptedKeys.pbes2(iterations: [0x7f, 0xff, 0xff, 0xff])
        let start = Date()
        let error = #expect(throws: PKIError.self) {
            try PrivateKey(der: hostile, format: .encryptedPKCS8, passphrase: "x", using: engine.backend)
        }
        #expect(error?.message.contains("iterations") == true, "\(String(describing: error))")
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test(
        "a hostile key in a PKI directory is refused by the core's cap on every engine", arguments: EngineUnderTest.all)
    func storeRefusesHostileKeys(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let store = try PKIStore(
            pki.directory, backend: engine.backend, clock: { TestPKI.now }, options: .init(create: true))
        try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 3650)
        try store.issue(name: "db1", profile: .client(name: "db1"), keyType: .ecdsaP256)
        let hostile = PEM.encode(
            label: "ENCRYPTED PRIVATE KEY", der: EncryptedKeys.pbes2(iterations: [0x7f, 0xff, 0xff, 0xff]))
        try Data(hostile.utf8).write(to: URL(fileURLWithPath: pki.directory.keyPath(of: "db1")))

        // Without the cap an engine would fail for want of a passphrase, not for the cost.
        let error = #expect(throws: PKIError.self) { try store.checkedIssued("db1", key: true) }
        #expect(error?.message.contains("2147483647 PBKDF2 iterations") == true, "\(String(describing: error))")
    }
}
