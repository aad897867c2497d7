import DBPKI
import DBPKITestSupport
import Foundation
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

    @Test(
        "a key store that encrypts writes an encrypted PEM key the other engine opens, and without a password refuses",
        arguments: EngineUnderTest.pairs)
    func keyStoreEncrypts(pair: EnginePair) throws {
        let key = try pair.maker.backend.generatePrivateKey(.ecdsaP256)
        let scratch = try ScratchFolder()
        let password = PasswordSource(try Password("correct horse"))
        let bytes = try KeyStore(newKeys: .encrypted, password: password).fileContents(
            for: key, using: pair.maker.backend)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"))
        let path = try scratch.write("ca.key", bytes)
        #expect(KeyStore.isEncryptedKeyFile(at: path))
        let opened = try KeyStore(newKeys: .plain, password: password).loadKey(at: path, using: pair.checker.backend)
        #expect(try pair.checker.backend.publicKeyInfo(of: opened) == pair.maker.backend.publicKeyInfo(of: key))
        #expect {
            try KeyStore.plainFiles.loadKey(at: path, using: pair.checker.backend)
        } throws: { ($0 as? PKIError)?.code == .passwordNeeded }
        #expect {
            try KeyStore(newKeys: .encrypted, password: .none).fileContents(for: key, using: pair.maker.backend)
        } throws: { ($0 as? PKIError)?.code == .passwordNeeded }
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

    @Test(
        "a wrong password that decrypts to well-padded garbage is still a wrong password, not an unsupported key",
        arguments: EngineUnderTest.all)
    func wrongPasswordWithValidPadding(engine: EngineUnderTest) throws {
        // testdata/keys/README.md: `wrong-517` decrypts this key with valid CBC padding and OpenSSL then
        // fails in ASN.1 with reason 123, the number EVP uses for an unsupported key length.
        let (format, der) = try CertificateDecoder.privateKey(
            from: TestData.bytes("keys/wrong-password-pads-well.pem"))
        #expect(format == .encryptedPKCS8)
        let key = try engine.backend.importPrivateKey(der: der, format: format, passphrase: "the-right-password")
        #expect(key.pkcs8DER.count > 0)
        #expect {
            try engine.backend.importPrivateKey(der: der, format: format, passphrase: "wrong-517")
        } throws: { ($0 as? PKIError)?.code == .badPassphrase }
    }

    @Test(
        "garbage is not a key in any format, and is invalid input even with a passphrase",
        arguments: EngineUnderTest.all, PrivateKeyFormat.allCases)
    func garbageIsNotAKey(engine: EngineUnderTest, format: PrivateKeyFormat) {
        for garbage: [UInt8] in [[0x30, 0x03, 0x02, 0x01, 0x00], [1, 2, 3]] {
            let error = #expect(throws: PKIError.self) {
                try engine.backend.importPrivateKey(der: garbage, format: format, passphrase: "x")
            }
            #expect(error?.code == .invalidInput, "\(garbage): \(String(describing: error))")
        }
    }

    @Test(
        "a key of every type reads back as the same PKCS#8 bytes, and its description hides it",
        arguments: EngineUnderTest.all, KeyType.allCases)
    func everyKeyTypeRoundTrips(engine: EngineUnderTest, type: KeyType) throws {
        let backend = engine.backend
        let key = try backend.generatePrivateKey(type)
        let again = try backend.importPrivateKey(der: key.pkcs8DER, format: .pkcs8, passphrase: nil)
        #expect(again.pkcs8DER == key.pkcs8DER)
        #expect(again.publicKeyDescription == type.publicKeyDescription)
        let spki = try backend.publicKeyInfo(of: key)
        #expect(DERReader.isSingleSequence(spki))
        #expect(try DERReader.subjectPublicKeyBits(ofSPKI: spki).count > 0)
        #expect(key.description.hasSuffix("redacted)"))
    }

    @Test(
        "an encrypted key is PBES2 with PBKDF2-HMAC-SHA256 of at least 600,000 iterations and AES-256-CBC (read from its DER), and opens only with its passphrase",
        arguments: EngineUnderTest.all)
    func encryptionIsPBES2(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let encrypted = try backend.exportEncryptedPrivateKey(key, passphrase: "correct horse")
        #expect(encrypted != key.pkcs8DER)
        // Read from the DER, not taken from the engine: the contract's scheme, at its cost.
        let scheme = try EncryptedKeys.scheme(of: encrypted)
        let contract = EncryptedKeys.contractScheme
        #expect(scheme.scheme == contract.scheme)
        #expect(scheme.kdf == contract.kdf)
        #expect(scheme.prf == contract.prf)
        #expect(scheme.cipher == contract.cipher)
        #expect(scheme.iterations >= 600_000, "\(engine) writes \(scheme.iterations) iterations")
        #expect(scheme.iterations <= EncryptedKeyCost.maximumIterations)
        let decrypted = try backend.importPrivateKey(
            der: encrypted, format: .encryptedPKCS8, passphrase: "correct horse")
        #expect(decrypted.pkcs8DER == key.pkcs8DER)
        for passphrase in [nil, "wrong horse", ""] {
            #expect {
                try backend.importPrivateKey(der: encrypted, format: .encryptedPKCS8, passphrase: passphrase)
            } throws: { ($0 as? PKIError)?.code == .badPassphrase }
        }
    }

    @Test(
        "PKCS#1 and SEC 1 keys the openssl CLI made import as PKCS#8, each format read as itself only",
        arguments: EngineUnderTest.all)
    func cliKeysImport(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let rsa = try backend.importPrivateKey(der: TestVectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
        #expect(rsa.publicKeyDescription == PublicKeyDescription(algorithm: .rsa, bits: 1024, curve: nil))
        #expect(
            try backend.importPrivateKey(der: rsa.pkcs8DER, format: .pkcs8, passphrase: nil).pkcs8DER == rsa.pkcs8DER)
        let ec = try backend.importPrivateKey(der: TestVectors.sec1P256, format: .sec1, passphrase: nil)
        #expect(ec.publicKeyDescription == KeyType.ecdsaP256.publicKeyDescription)
        #expect(throws: PKIError.self) {
            try backend.importPrivateKey(der: TestVectors.sec1P256, format: .pkcs1, passphrase: nil)
        }
        #expect(throws: PKIError.self) {
            try backend.importPrivateKey(der: rsa.pkcs8DER, format: .pkcs1, passphrase: nil)
        }
    }

    @Test(
        "the PKCS#1 key inside a PKCS#8 RSA key imports as the same key, and as no other format",
        arguments: EngineUnderTest.all)
    func innerRSAKeyImports(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let rsa = try backend.generatePrivateKey(.rsa2048)
        let pkcs1 = try EncryptedKeys.innerKey(ofPKCS8: rsa.pkcs8DER)
        #expect(try backend.importPrivateKey(der: pkcs1, format: .pkcs1, passphrase: nil).pkcs8DER == rsa.pkcs8DER)
        for format in [PrivateKeyFormat.sec1, .pkcs8] {
            #expect("as \(format)") {
                try backend.importPrivateKey(der: pkcs1, format: format, passphrase: nil)
            } throws: { ($0 as? PKIError)?.code == .invalidInput }
        }
    }

    @Test(
        "a truncated or padded key, or one in the wrong format, is invalid input",
        arguments: EngineUnderTest.all)
    func badAndUnsupportedKeys(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let key = try backend.generatePrivateKey(.ed25519)
        let inputs: [([UInt8], PrivateKeyFormat)] = [
            ([], .pkcs8), ([0x30, 0x03, 0x02, 0x01, 0x00], .pkcs8), (key.pkcs8DER + [0], .pkcs8),
            (Array("not a key".utf8), .pkcs1), (Array("not a key".utf8), .sec1), (key.pkcs8DER, .encryptedPKCS8),
            (TestVectors.sec1P256 + [0], .sec1),
        ]
        for (der, format) in inputs {
            #expect {
                try backend.importPrivateKey(der: der, format: format, passphrase: "x")
            } throws: { ($0 as? PKIError)?.code == .invalidInput }
        }
    }

    @Test(
        "a key on a curve dbpki does not use is refused: X25519 as unsupported, secp256k1 by every engine",
        arguments: EngineUnderTest.all)
    func otherCurvesAreRefused(engine: EngineUnderTest) throws {
        let backend = engine.backend
        #expect {
            try backend.importPrivateKey(der: TestVectors.pkcs8X25519, format: .pkcs8, passphrase: nil)
        } throws: { ($0 as? PKIError)?.code == .unsupported }
        // Refused everywhere; only OpenSSL can say it is unsupported (see the engine-specific tests).
        #expect(throws: PKIError.self) {
            try backend.importPrivateKey(der: TestVectors.sec1Secp256k1, format: .sec1, passphrase: nil)
        }
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

    @Test(
        "SHA-384 and SHA-512 match known answers too, and a digest of nothing has its full length",
        arguments: EngineUnderTest.all)
    func longDigestsMatchKnownAnswers(engine: EngineUnderTest) throws {
        let abc = Array("abc".utf8)
        #expect(
            Hex.encode(try engine.backend.digest(.sha384, abc))
                == "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
        #expect(
            Hex.encode(try engine.backend.digest(.sha512, abc))
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
                + "454d4423643ce80e2a9ac94fa54ca49f")
        #expect(Hex.encode(try engine.backend.digest(.sha1, [])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(try engine.backend.digest(.sha256, []).count == 32)
        #expect(try engine.backend.digest(.sha384, []).count == 48)
        #expect(try engine.backend.digest(.sha512, []).count == 64)
    }
}
