import DBPKITestSupport
import Foundation
import Testing

@testable import DBPKI

@Suite("Encrypted PKCS#8: the key derivation's cost is capped before an engine derives anything")
struct EncryptedKeyCostTests {
    /// An EncryptedPrivateKeyInfo with PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC and `iterations`.
    static func pbes2Key(iterations: [UInt8]) -> [UInt8] {
        func oid(_ content: [UInt8]) -> [UInt8] { DERWriter.tlv(0x06, content) }
        let pbkdf2Parameters = DERWriter.tlv(
            0x30,
            DERWriter.tlv(0x04, [UInt8](repeating: 7, count: 16)) + DERWriter.tlv(0x02, iterations)
                + DERWriter.tlv(0x30, oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09]) + [0x05, 0x00]))
        let kdf = DERWriter.tlv(0x30, oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c]) + pbkdf2Parameters)
        let cipher = DERWriter.tlv(
            0x30,
            oid([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a])
                + DERWriter.tlv(0x04, [UInt8](repeating: 1, count: 16)))
        let algorithm = DERWriter.tlv(
            0x30, oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d]) + DERWriter.tlv(0x30, kdf + cipher))
        return DERWriter.tlv(0x30, algorithm + DERWriter.tlv(0x04, [UInt8](repeating: 9, count: 48)))
    }

    /// The same with scrypt (RFC 7914) parameters N, r, p as DER INTEGER contents.
    static func scryptKey(n: [UInt8], r: [UInt8], p: [UInt8]) -> [UInt8] {
        let scryptParameters = DERWriter.tlv(
            0x30,
            DERWriter.tlv(0x04, [UInt8](repeating: 7, count: 16)) + DERWriter.tlv(0x02, n) + DERWriter.tlv(0x02, r)
                + DERWriter.tlv(0x02, p))
        let kdf = DERWriter.tlv(
            0x30, DERWriter.tlv(0x06, [0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b]) + scryptParameters)
        let cipher = DERWriter.tlv(
            0x30,
            DERWriter.tlv(0x06, [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a])
                + DERWriter.tlv(0x04, [UInt8](repeating: 1, count: 16)))
        let algorithm = DERWriter.tlv(
            0x30,
            DERWriter.tlv(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d])
                + DERWriter.tlv(0x30, kdf + cipher))
        return DERWriter.tlv(0x30, algorithm + DERWriter.tlv(0x04, [UInt8](repeating: 9, count: 48)))
    }

    @Test("scrypt may use at most 1 GiB and N·r·p of 2^24")
    func scryptIsCapped() throws {
        #expect(
            try EncryptedKeyCost.cost(of: Self.scryptKey(n: [0x40, 0x00], r: [8], p: [1]))
                == .scrypt(n: 16384, r: 8, p: 1))
        #expect(throws: Never.self) {
            try EncryptedKeyCost.check(Self.scryptKey(n: [0x10, 0x00, 0x00], r: [8], p: [1]))
        }
        #expect(throws: PKIError.self) {
            try EncryptedKeyCost.check(Self.scryptKey(n: [0x20, 0x00, 0x00], r: [8], p: [1]))
        }
        #expect(throws: PKIError.self) {
            try EncryptedKeyCost.check(Self.scryptKey(n: [0x40, 0x00], r: [8], p: [0x7f, 0xff]))
        }
        #expect(throws: PKIError.self) {
            try EncryptedKeyCost.check(
                Self.scryptKey(n: [0x7f] + [UInt8](repeating: 0xff, count: 9), r: [0x7f, 0xff], p: [1]))
        }
    }

    @Test("the core reads the iteration count a key asks for")
    func coreReadsTheCost() throws {
        #expect(
            try EncryptedKeyCost.cost(of: Self.pbes2Key(iterations: [0x01, 0x86, 0xa0]))
                == .iterations(100_000, kdf: "PBKDF2"))
        #expect(throws: Never.self) { try EncryptedKeyCost.check(Self.pbes2Key(iterations: [0x1e, 0x84, 0x80])) }  // 2,000,000
        let error = #expect(throws: PKIError.self) {
            try EncryptedKeyCost.check(Self.pbes2Key(iterations: [0x1e, 0x84, 0x81]))  // 2,000,001
        }
        #expect(error?.message.contains("2000001 PBKDF2 iterations") == true)
        #expect(throws: PKIError.self) {
            try EncryptedKeyCost.check(Self.pbes2Key(iterations: [0x7f] + [UInt8](repeating: 0xff, count: 15)))
        }
        #expect(throws: PKIError.self) { try EncryptedKeyCost.check(Self.pbes2Key(iterations: [0xff])) }
        #expect(throws: PKIError.self) { try EncryptedKeyCost.check([0x30, 0x03, 0x30, 0x01, 0x06]) }
    }

    @Test(
        "a key made by each engine opens; a hostile iteration count is refused at once", arguments: EngineUnderTest.all)
    func enginesRefuseHostileKeys(engine: EngineUnderTest) throws {
        let key = try engine.backend.generatePrivateKey(.ecdsaP256)
        let encrypted = try engine.backend.exportEncryptedPrivateKey(key, passphrase: "correct horse")
        #expect(throws: Never.self) { try EncryptedKeyCost.check(encrypted) }
        _ = try engine.backend.importPrivateKey(der: encrypted, format: .encryptedPKCS8, passphrase: "correct horse")

        // 2^31 - 1 iterations: minutes of PBKDF2 without the cap.
        let hostile = Self.pbes2Key(iterations: [0x7f, 0xff, 0xff, 0xff])
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
            label: "ENCRYPTED PRIVATE KEY", der: Self.pbes2Key(iterations: [0x7f, 0xff, 0xff, 0xff]))
        try Data(hostile.utf8).write(to: URL(fileURLWithPath: pki.directory.keyPath(of: "db1")))

        // Without the cap an engine would fail for want of a passphrase, not for the cost.
        let error = #expect(throws: PKIError.self) { try store.checkedIssued("db1", key: true) }
        #expect(error?.message.contains("2147483647 PBKDF2 iterations") == true, "\(String(describing: error))")
    }
}
