import DBPKI
import DBPKITestSupport
import Testing

@Suite("Keys behave the same on every engine")
struct KeyConformanceTests {
    @Test("a generated key has the requested type and size", arguments: EngineUnderTest.all, KeyType.allCases)
    func generatedKeyHasRequestedType(engine: EngineUnderTest, type: KeyType) throws {
        let key = try engine.backend.generatePrivateKey(type)
        #expect(key.publicKeyDescription == type.publicKeyDescription)
        #expect(DERReader.isSingleSequence(key.pkcs8DER))
    }

    @Test("a PKCS#8 key read back is the same key", arguments: EngineUnderTest.all)
    func pkcs8RoundTrip(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let read = try backend.importPrivateKey(der: key.pkcs8DER, format: .pkcs8, passphrase: nil)
        #expect(try backend.publicKeyInfo(of: read) == backend.publicKeyInfo(of: key))
    }

    @Test("a key written as PEM decodes through the core and the engine", arguments: EngineUnderTest.all)
    func pemRoundTrip(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let key = try backend.generatePrivateKey(.ed25519)
        let pem = PEM.encode(label: "PRIVATE KEY", der: key.pkcs8DER)
        let (format, der) = try CertificateDecoder.privateKey(from: Array(pem.utf8))
        #expect(format == .pkcs8)
        let read = try backend.importPrivateKey(der: der, format: format, passphrase: nil)
        #expect(try backend.publicKeyInfo(of: read) == backend.publicKeyInfo(of: key))
    }

    @Test("an encrypted key opens with its passphrase on either engine", arguments: EngineUnderTest.pairs)
    func encryptedKeyOpensOnBothEngines(pair: EnginePair) throws {
        let key = try pair.maker.backend.generatePrivateKey(.ecdsaP384)
        let encrypted = try pair.maker.backend.exportEncryptedPrivateKey(key, passphrase: "correct horse")
        #expect(encrypted != key.pkcs8DER)
        let opened = try pair.checker.backend.importPrivateKey(
            der: encrypted, format: .encryptedPKCS8, passphrase: "correct horse")
        #expect(try pair.checker.backend.publicKeyInfo(of: opened) == pair.maker.backend.publicKeyInfo(of: key))
    }

    @Test("a wrong or missing passphrase is a clear error, not a prompt", arguments: EngineUnderTest.all)
    func wrongPassphraseIsAnError(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let encrypted = try backend.exportEncryptedPrivateKey(
            backend.generatePrivateKey(.ecdsaP256), passphrase: "right")
        for passphrase in ["wrong", nil] as [String?] {
            let error = #expect(throws: PKIError.self) {
                try backend.importPrivateKey(der: encrypted, format: .encryptedPKCS8, passphrase: passphrase)
            }
            #expect(error?.code == .badPassphrase)
        }
    }

    @Test("garbage is not a key", arguments: EngineUnderTest.all, PrivateKeyFormat.allCases)
    func garbageIsNotAKey(engine: EngineUnderTest, format: PrivateKeyFormat) {
        let error = #expect(throws: PKIError.self) {
            try engine.backend.importPrivateKey(der: [0x30, 0x03, 0x02, 0x01, 0x00], format: format, passphrase: "x")
        }
        #expect(error?.code == .invalidInput || error?.code == .badPassphrase)
    }

    @Test("a key matches its own certificate and no other", arguments: EngineUnderTest.pairs)
    func keyMatchesOnlyItsCertificate(pair: EnginePair) throws {
        let pki = TestPKI(pair.maker)
        let root = try pki.root()
        let other = try pki.root("Other Root")
        #expect(try pair.checker.backend.privateKey(root.key, matchesCertificate: root.der))
        #expect(try !pair.checker.backend.privateKey(other.key, matchesCertificate: root.der))
    }

    @Test("digests match known answers", arguments: EngineUnderTest.all)
    func digestsMatchKnownAnswers(engine: EngineUnderTest) throws {
        let abc = Array("abc".utf8)
        #expect(Hex.encode(try engine.backend.digest(.sha1, abc)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            Hex.encode(try engine.backend.digest(.sha256, abc))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
