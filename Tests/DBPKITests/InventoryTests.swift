import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("The inventory database and the PKI lock")
struct InventoryTests {
    func record(serial: String, issuer: String = "CN=CA", fingerprint: String) -> InventoryRecord {
        var record = InventoryRecord(
            certificate: CertificateInfo(
                der: [], version: 3, subject: "CN=db1", issuer: issuer, serialNumber: Hex.decode(serial) ?? [],
                notBefore: Date(timeIntervalSince1970: 1_000), notAfter: Date(timeIntervalSince1970: 2_000),
                publicKey: KeyType.ecdsaP256.publicKeyDescription, signatureAlgorithmOID: "1.2.840.10045.4.3.2",
                subjectAlternativeNames: [.dns("db1.example.com")], isCA: false, pathLengthConstraint: nil,
                keyUsage: nil, extendedKeyUsage: nil, subjectKeyIdentifier: nil, authorityKeyIdentifier: nil,
                fingerprintSHA256: [], extensions: []),
            name: "db1", kind: .server, profile: "server", issuerFingerprint: "ab", certificatePath: "issued/db1.crt",
            keyPath: "issued/db1.key", recordedAt: Date(timeIntervalSince1970: 1_500))
        record.fingerprint = fingerprint
        return record
    }

    @Test("a new inventory is mode 0600 and keeps every field of a record")
    func roundTrip() throws {
        let scratch = try ScratchFolder()
        let inventory = try Inventory(path: scratch.file("inventory.sqlite"))
        let mode = try FileManager.default.attributesOfItem(atPath: inventory.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        var original = record(serial: "80ff", fingerprint: "f1")
        original.status = .revoked
        original.revocationReason = "keyCompromise"
        original.revokedAt = Date(timeIntervalSince1970: 1_700)
        let inserted = try inventory.apply([.insert(original)])[0]
        #expect(inserted.id != nil)
        #expect(try inventory.all() == [inserted])
        #expect(inserted.serialNumber == [0x00, 0x80, 0xff])
        #expect(try inventory.current(name: "db1") == inserted)
        // Reopening runs the migrations again without touching the data.
        #expect(try Inventory(path: inventory.path).all() == [inserted])
    }

    @Test("a serial never repeats under one issuer name, but may under another")
    func uniqueSerials() throws {
        let scratch = try ScratchFolder()
        let inventory = try Inventory(path: scratch.file("inventory.sqlite"))
        try inventory.apply([
            .insert(record(serial: "0123", fingerprint: "f1")),
            .insert(record(serial: "0123", issuer: "CN=Other CA", fingerprint: "f2")),
        ])
        #expect(throws: PKIError.self) {
            try inventory.apply([.insert(record(serial: "0123", fingerprint: "f3"))])
        }
        #expect(try inventory.records(serial: "123").map(\.issuer).sorted() == ["CN=CA", "CN=Other CA"])
        #expect(try inventory.all().count == 2)
    }

    @Test("CRL numbers are kept per CA")
    func crlNumbers() throws {
        let scratch = try ScratchFolder()
        let inventory = try Inventory(path: scratch.file("inventory.sqlite"))
        try inventory.recordCRLNumber(4, caFingerprint: "aa", at: Date())
        try inventory.recordCRLNumber(5, caFingerprint: "aa", at: Date())
        try inventory.recordCRLNumber(1, caFingerprint: "bb", at: Date())
        #expect(try inventory.lastCRLNumber(caFingerprint: "aa") == 5)
        #expect(try inventory.lastCRLNumber(caFingerprint: "bb") == 1)
        #expect(try inventory.lastCRLNumber(caFingerprint: "cc") == 0)
    }

    @Test("a second holder of the PKI lock waits, says so once, and gives up at the timeout")
    func lockIsExclusive() throws {
        let scratch = try ScratchFolder()
        let path = scratch.file(".lock")
        var first: PKILock? = try PKILock(path: path)
        let waits = WaitCounter()
        let started = Date()
        #expect(throws: PKIError.self) { try PKILock(path: path, timeout: 0.3, onWait: { waits.add() }) }
        #expect(Date().timeIntervalSince(started) >= 0.3)
        #expect(waits.count == 1)
        _ = first
        first = nil
        #expect(throws: Never.self) { try PKILock(path: path, timeout: 0) }
    }

    @Test("a rollover names the new CA with the next generation")
    func generations() {
        #expect(PKIStore.nextGeneration(of: "Example DB CA") == "Example DB CA G2")
        #expect(PKIStore.nextGeneration(of: "Example DB CA G2") == "Example DB CA G3")
        #expect(PKIStore.nextGeneration(of: "CA Gx") == "CA Gx G2")
    }
}

final class WaitCounter: @unchecked Sendable {
    private(set) var count = 0
    func add() { count += 1 }
}
