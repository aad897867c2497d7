import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("PKCS#12 files are written and read the same on every engine")
struct PKCS12ConformanceTests {
    static let protections = PKCS12Protection.allCases

    /// A keystore of the web chain's leaf (key, leaf, intermediate), made by `engine`.
    static func keystore(_ chain: WebChain, protection: PKCS12Protection, engine: any PKIBackend) throws -> [UInt8] {
        let id = try engine.digest(.sha1, chain.leaf.der)
        let contents = try PKCS12Contents.keystore(
            name: "db1", key: chain.leaf.key, chain: [chain.leaf.der, chain.intermediate.der], localKeyID: id,
            protection: protection)
        return try engine.createPKCS12(contents, password: "s3cret")
    }

    @Test(
        "a keystore made by one engine opens on the other with its key, chain, name and key id",
        arguments: EngineUnderTest.pairs, protections)
    func keystoreRoundTrip(pair: EnginePair, protection: PKCS12Protection) throws {
        let chain = try WebChain(pair.maker)
        let file = try Self.keystore(chain, protection: protection, engine: pair.maker.backend)
        let read = try PKCS12Contents(der: file, password: "s3cret", includeKey: true, using: pair.checker.backend)
        #expect(Set(read.certificates.map(\.der)) == [chain.leaf.der, chain.intermediate.der])
        let leaf = try #require(read.certificates.first { $0.der == chain.leaf.der })
        let id = try pair.maker.backend.digest(.sha1, chain.leaf.der)
        #expect(leaf.friendlyName == "db1")
        #expect(leaf.localKeyID == id)
        let key = try #require(read.key)
        #expect(key.localKeyID == id)
        #expect(key.friendlyName == "db1")
        #expect(try pair.checker.backend.privateKey(key.key, matchesCertificate: chain.leaf.der))
        #expect(read.protection == protection)
    }

    @Test(
        "a truststore made by one engine lists its CA certificates under their aliases on the other",
        arguments: EngineUnderTest.pairs, protections)
    func truststoreRoundTrip(pair: EnginePair, protection: PKCS12Protection) throws {
        let chain = try WebChain(pair.maker)
        let contents = PKCS12Contents.truststore(
            [("root", chain.root.der), ("intermediate", chain.intermediate.der)], protection: protection)
        let file = try pair.maker.backend.createPKCS12(contents, password: "s3cret")
        let read = try PKCS12Contents(der: file, password: "s3cret", includeKey: true, using: pair.checker.backend)
        #expect(read.key == nil)
        #expect(read.certificates.map(\.der) == [chain.root.der, chain.intermediate.der])
        #expect(read.certificates.map(\.friendlyName) == ["root", "intermediate"])
        let readsTrust = pair.checker.backend.capabilities.contains(.pkcs12TrustAttributes)
        #expect(read.certificates.map(\.trustedForJava) == [readsTrust, readsTrust])
    }

    @Test("every truststore certificate bag carries Java's trust attribute", arguments: EngineUnderTest.all)
    func truststoreCarriesJavaTrust(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        // Legacy truststores keep their certificate bags in clear, so the bags can be read here.
        let file = try engine.backend.createPKCS12(
            .truststore([("root", chain.root.der), ("intermediate", chain.intermediate.der)], protection: .legacy),
            password: "x")
        let attribute = try PKCS12Encoding.objectIdentifier(PKCS12Encoding.javaTrustedKeyUsageOID)
        let value = try PKCS12Encoding.objectIdentifier(PKCS12Encoding.anyExtendedKeyUsageOID)
        let marker = DERWriter.tlv(0x30, attribute + DERWriter.tlv(0x31, value))
        #expect(Self.count(of: marker, in: file) == 2)
    }

    @Test(
        "a keystore's key is encrypted: the PKCS#8 key does not appear in the file",
        arguments: EngineUnderTest.all, protections)
    func keyIsNotInClear(engine: EngineUnderTest, protection: PKCS12Protection) throws {
        let chain = try WebChain(engine)
        let file = try Self.keystore(chain, protection: protection, engine: engine.backend)
        #expect(Self.count(of: chain.leaf.key.pkcs8DER, in: file) == 0)
        #expect(Self.count(of: chain.leaf.der, in: file) == 0)
    }

    @Test("a wrong or missing password is a bad passphrase on every engine", arguments: EngineUnderTest.pairs)
    func wrongPassword(pair: EnginePair) throws {
        let file = try Self.keystore(try WebChain(pair.maker), protection: .aes256, engine: pair.maker.backend)
        for password in ["wrong", nil] as [String?] {
            let error = #expect(throws: PKIError.self) {
                try PKCS12Contents(der: file, password: password, includeKey: false, using: pair.checker.backend)
            }
            #expect(error?.code == .badPassphrase)
        }
    }

    @Test("a damaged PKCS#12 file is invalid input on every engine", arguments: EngineUnderTest.all)
    func damagedFile(engine: EngineUnderTest) throws {
        let file = try Self.keystore(try WebChain(engine), protection: .aes256, engine: engine.backend)
        var flipped = file
        flipped[file.count / 2] ^= 0x01
        for damaged in [Array(file.prefix(file.count - 7)), flipped] {
            let error = #expect(throws: PKIError.self) {
                try PKCS12Contents(der: damaged, password: "s3cret", includeKey: true, using: engine.backend)
            }
            #expect(error?.code == .invalidInput || error?.code == .badPassphrase)
        }
    }

    /// How often `needle` occurs in `haystack`.
    static func count(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard needle.count <= haystack.count else { return 0 }
        return (0...(haystack.count - needle.count)).filter { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
            .count
    }
}

@Suite("Hostile PKCS#12 files are refused the same way on every engine")
struct HostilePKCS12Tests {
    @Test(
        "a keystore whose MAC iteration count is raised to millions is refused before any engine derives",
        arguments: EngineUnderTest.all)
    func hostileMAC(engine: EngineUnderTest) throws {
        let file = try PKCS12ConformanceTests.keystore(
            try WebChain(engine), protection: .aes256, engine: engine.backend)
        // MacData ends with iterations INTEGER: replace the file's last element with 0x7fffffff.
        var reader = DERReader(file[...])
        var pfx = DERReader(try reader.read(tag: 0x30).content)
        let version = try pfx.read()
        let authSafe = try pfx.read()
        var mac = DERReader(try pfx.read(tag: 0x30).content)
        let digest = try mac.read()
        let salt = try mac.read()
        let hostile = DERWriter.tlv(
            0x30,
            Array(version.encoded) + Array(authSafe.encoded)
                + DERWriter.tlv(
                    0x30, Array(digest.encoded) + Array(salt.encoded) + [0x02, 0x04, 0x7f, 0xff, 0xff, 0xff]))
        let error = #expect(throws: PKIError.self) {
            try PKCS12Contents(der: hostile, password: "s3cret", includeKey: false, using: engine.backend)
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("2147483647 iterations") == true)
    }

    @Test(
        "a MAC under a digest dbpki does not know is refused by the core on every engine (GnuTLS leaked on it)",
        arguments: EngineUnderTest.all)
    func unknownMACDigest(engine: EngineUnderTest) throws {
        let file = try PKCS12ConformanceTests.keystore(
            try WebChain(engine), protection: .aes256, engine: engine.backend)
        // SHA-256 is 2.16.840.1.101.3.4.2.1; the fuzzer's input changed its last arc (2.16.840.1.101.3.4.2.99 here).
        let sha256: [UInt8] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]
        let start = try #require(
            (0...(file.count - sha256.count)).last { file[$0..<($0 + sha256.count)].elementsEqual(sha256) })
        var damaged = file
        damaged[start + sha256.count - 1] = 99
        let error = #expect(throws: PKIError.self) {
            try PKCS12Contents(der: damaged, password: "s3cret", includeKey: false, using: engine.backend)
        }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("MAC uses the digest 2.16.840.1.101.3.4.2.99") == true)
    }
}
