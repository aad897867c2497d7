import DBPKITestSupport
import Foundation
import Testing

@testable import DBPKI

@Suite("Encrypted PKCS#8: the key derivation's cost is capped before an engine derives anything")
struct EncryptedKeyCostTests {
    @Test("scrypt may use at most 1 GiB and N·r·p of 2^24")
    func scryptIsCapped() throws {
        #expect(
            try EncryptedKeyCost.cost(of: EncryptedKeys.scrypt(n: [0x40, 0x00], r: [8], p: [1]))
                == .scrypt(n: 16384, r: 8, p: 1))
        #expect(throws: Never.self) {
            try EncryptedKeyCost.check(EncryptedKeys.scrypt(n: [0x10, 0x00, 0x00], r: [8], p: [1]))
        }
        #expect(throws: PKIError.self) {
            try EncryptedKeyCost.check(EncryptedKeys.scrypt(n: [0x20, 0x00, 0x00], r: [8], p: [1]))
        }
        #expect(throws: PKIError.self) {
            try EncryptedKeyCost.check(EncryptedKeys.scrypt(n: [0x40, 0x00], r: [8], p: [0x7f, 0xff]))
        }
        #expect(throws: PKIError.self) {
            try EncryptedKeyCost.check(
                EncryptedKeys.scrypt(n: [0x7f] + [UInt8](repeating: 0xff, count: 9), r: [0x7f, 0xff], p: [1]))
        }
    }

    @Test("the core reads the iteration count a key asks for")
    func coreReadsTheCost() throws {
        #expect(
            try EncryptedKeyCost.cost(of: EncryptedKeys.pbes2(iterations: [0x01, 0x86, 0xa0]))
                == .iterations(100_000, kdf: "PBKDF2"))
        // 2,000,000 is the most allowed.
        #expect(throws: Never.self) { try EncryptedKeyCost.check(EncryptedKeys.pbes2(iterations: [0x1e, 0x84, 0x80])) }
        let error = #expect(throws: PKIError.self) {
            try EncryptedKeyCost.check(EncryptedKeys.pbes2(iterations: [0x1e, 0x84, 0x81]))  // 2,000,001
        }
        #expect(error?.message.contains("2000001 PBKDF2 iterations") == true)
        #expect(throws: PKIError.self) {
            try EncryptedKeyCost.check(EncryptedKeys.pbes2(iterations: [0x7f] + [UInt8](repeating: 0xff, count: 15)))
        }
        #expect(throws: PKIError.self) { try EncryptedKeyCost.check(EncryptedKeys.pbes2(iterations: [0xff])) }
        #expect(throws: PKIError.self) { try EncryptedKeyCost.check([0x30, 0x03, 0x30, 0x01, 0x06]) }
    }
}
