import DBPKI
import DBPKIOpenSSL
import DBPKITestSupport
import Foundation
import Testing

/// Fixed test vectors made once with the openssl CLI.
private enum Vectors {
    /// A SEC 1 `ECPrivateKey` on P-256 (with parameters and public key).
    static let sec1P256 = Hex.decode(
        "307702010104208fca6ea86d3e3b89e592e9be2f818c03087b9eab542ff66bc644782aa413a6bda00a06082a8648ce3d030107"
            + "a1440342000495a746968eaabcab5ebc4dfbf02c41637e017a5eabae4f56fcebfc2300d1d0486ea872f16586ab65fa9bf7"
            + "92a02a5d252e2babee123c376283c2f1f4474238b9")!
    /// A PKCS#1 `RSAPrivateKey` of 1024 bits (too small for authentication level 2).
    static let pkcs1RSA1024 = Hex.decode(
        "3082025d02010002818100bfd592c373d2066a8b3354085ff9879e6b63fad27986cada4c78238a2fb0d88cc5e96477d2f2cb7541"
            + "7336260ed55b23040b21d8e8ddc6d56199fe2abf75dbf650c7d76e442b2249faea482fd6f47134a5b8fd81ebacef29542cf5"
            + "3b0318420263fa10d455518e9b2d77d626ca5d506c87535d5fa0047ef9d3b3a5e6f943324902030100010281803e846dd600"
            + "b2dba071490303cfb3547d4e6640e1c2f528bac7dd07480b8ec8a3e803cdd8370925414b592eb66c731fc66394f52ce9870d"
            + "3b91194c79c5f7b4fd1a85e595bef1f46f3265ec4ced039de60dbef85831ce30d60f631f37db07f54b9b9abbb75d55ad62fc"
            + "2d7afbde87e338c5bd11f250905c4f7624e60355619439024100e4e3a0dd50fa50ed340462d4e56d2d386c05295d0c67a462"
            + "1a3bdb011d2aa2d4c0041e7501ca2b58f9c354873464f8d90ecfa2493d6cbbbaa3d3f052d08d7ecb024100d68e5dfb1de9b3"
            + "1255418898a805da2cf0fb74efa6e21c6fd21a8b137191a9031a54eedf09baccb46940ec0b4c91e334e99e20c9053c95ead8"
            + "d9a475b2903cbb0240177118b091f291073a2498daa504a174fddb29795623e73a04e5cc7038c47d18bcf1af0cdcba0fe674"
            + "ee0462348382d8f8235bc3947ee65b1f1c3da8bda340310241008b4c311e1944a23b53d8d14b7343216c2e24c3bdd816532a"
            + "1239a373c3373388cd2eb94b5b30c93894614f1ee2de90a9c8c71e3804cb59f5f8460d6d50ba2e83024100977c2b58b5f815"
            + "1576e6105c49694dd75ed0a17e1e7945a140797d9ac8ccb237ce567529bc8e06bbd9d282c6086c6b0c4aced6a54695aac8c4"
            + "3ca5e00c9f8b6d")!
    /// A PKCS#8 X25519 key (an algorithm dbpki does not use).
    static let pkcs8X25519 = Hex.decode(
        "302e020100300506032b656e04220420602279cf26622b1f2ad7ab5388f7338c6b69df5c92139464369f711862efed7f")!
    /// A SEC 1 key on secp256k1 (a curve dbpki does not use).
    static let sec1Secp256k1 = Hex.decode(
        "3074020101042052248d089ddf0e33967ef47a29e3de1b7f923dbb675d2c5d5d9da76559c36d1da00706052b8104000aa1440342"
            + "000491e08f716d4fe92d1bb325ed738658034e2b39da2941ae79946eadd48f37a555a4670e8aec30688e47939c338557629b"
            + "0e9af05acf50393fc5d4ae401a868b41")!
    /// A CA certificate made by `openssl req`: serial -5, PrintableString and IA5String names, a multi-valued
    /// RDN, and otherName, directoryName and registeredID SAN entries.
    static let opensslCLICertificate = Hex.decode(
        "3082023f308201e5a0030201020201fb300a06082a8648ce3d0403023058310b30090603550406130255533119300a060355040a"
            + "13034f7267300b060355040b1304556e697431123010060355040313094f6464202c4e616d65311a301806092a864886f70d0109"
            + "01160b6140622e6578616d706c65301e170d3236313132353232323133365a170d3236313230353232323133365a3058310b3009"
            + "0603550406130255533119300a060355040a13034f7267300b060355040b1304556e697431123010060355040313094f6464202c"
            + "4e616d65311a301806092a864886f70d010901160b6140622e6578616d706c653059301306072a8648ce3d020106082a8648ce3d"
            + "03010703420004bc6fdb0f54ff764a0483b432cf1916e46f74725cf3685b02e4e23ea08155f0177a68eb090f8cba62f83d68c01a"
            + "09f642d055b56afa821dad54c8803133be6bc0a3819f30819c30120603551d130101ff040830060101ff020102304d0603551d11"
            + "044630448209612e6578616d706c65a00e06032a0304a0070c0568656c6c6fa410300e310c300a0603550403130344697287040a"
            + "00000188022a03810b7840792e6578616d706c6530180603551d250411300f06082b0601050507030106032a0304301d0603551d"
            + "0e0416041488e6ac4c9d9a9b68c8d469efdd5e196357267323300a06082a8648ce3d0403020348003045022100ca5e5bc048c2f9"
            + "68d8e2355dc52db6ff36bb727c21e12e105f4f3375b2a59e640220722153f33eb503cdf91ae092788491d73d4ffadc456c0b1187"
            + "c94bf822a71090")!
    /// Its SEC 1 key.
    static let opensslCLIKey = Hex.decode(
        "307702010104203eb9e51122f56a4745b7eb6f296062a44b751cbdb58e2d3267fdc451f2f957f2a00a06082a8648ce3d030107a1"
            + "4403420004bc6fdb0f54ff764a0483b432cf1916e46f74725cf3685b02e4e23ea08155f0177a68eb090f8cba62f83d68c01a09f6"
            + "42d055b56afa821dad54c8803133be6bc0")!
}

/// A root CA, an intermediate CA and a server leaf, issued through the core's issuer.
private struct OpenSSLTestPKI {
    let backend = OpenSSLBackend()
    let rootKey: PrivateKey
    let root: SigningAuthority
    let intermediateKey: PrivateKey
    let intermediate: SigningAuthority
    let leafKey: PrivateKey
    let leaf: [UInt8]

    init(intermediatePathLength: Int? = 0, leafKeyType: KeyType = .ecdsaP256) throws {
        let issuer = CertificateIssuer(backend: backend)
        rootKey = try backend.generatePrivateKey(.ecdsaP384)
        let rootDER = try issuer.issue(.rootCA(name: "Test Root"), subjectKey: rootKey, authority: nil)
        root = try SigningAuthority(certificate: rootDER, key: rootKey, backend: backend)
        intermediateKey = try backend.generatePrivateKey(.ecdsaP256)
        let intermediateDER = try issuer.issue(
            .intermediateCA(name: "Test Intermediate", pathLength: intermediatePathLength), subjectKey: intermediateKey,
            authority: root)
        intermediate = try SigningAuthority(certificate: intermediateDER, key: intermediateKey, backend: backend)
        leafKey = try backend.generatePrivateKey(leafKeyType)
        leaf = try issuer.issue(
            .server(
                name: "www.example.com", dns: ["www.example.com", "*.api.example.com"], ips: [IPAddress("192.0.2.1")!]),
            subjectKey: leafKey, authority: intermediate)
    }

    func verify(
        _ leaf: [UInt8]? = nil, intermediates: [[UInt8]]? = nil, anchors: [[UInt8]]? = nil, crls: [[UInt8]] = [],
        policy: VerificationPolicy = VerificationPolicy()
    ) throws -> VerificationResult {
        try backend.verify(
            VerificationRequest(
                leaf: leaf ?? self.leaf, intermediates: intermediates ?? [intermediate.certificate],
                trustAnchors: anchors ?? [root.certificate], crls: crls, policy: policy))
    }

    /// A request signed directly (bypassing the issuer's checks), for certificates the core would not make.
    func request(
        _ name: String, key: PrivateKey, issuerInfo: CertificateInfo?, isCA: Bool = false, pathLength: Int? = nil,
        keyUsage: KeyUsage = [.digitalSignature], eku: [String] = [], sans: [SubjectAlternativeName] = [],
        notBefore: Date = Date().addingTimeInterval(-3600), notAfter: Date = Date().addingTimeInterval(86_400),
        digest: DigestAlgorithm = .sha256
    ) throws -> CertificateRequest {
        let spki = try backend.publicKeyInfo(of: key)
        let keyID = try CertificateIssuer(backend: backend).keyIdentifier(ofSPKI: spki)
        return CertificateRequest(
            subject: .commonName(name), serialNumber: SerialNumber.random(), notBefore: notBefore, notAfter: notAfter,
            subjectPublicKeyInfo: spki, isCA: isCA, pathLengthConstraint: pathLength, keyUsage: keyUsage,
            extendedKeyUsage: eku, subjectAlternativeNames: sans, subjectKeyIdentifier: keyID,
            authorityKeyIdentifier: issuerInfo?.subjectKeyIdentifier ?? keyID, digest: digest)
    }
}

/// The tbsCertificate's issuer and subject Name DER.
private func names(ofCertificate der: [UInt8]) throws -> (issuer: [UInt8], subject: [UInt8]) {
    var outer = DERReader(der[...])
    var certificate = DERReader(try outer.read(tag: 0x30).content)
    var tbs = DERReader(try certificate.read(tag: 0x30).content)
    _ = try tbs.read(tag: 0xa0)  // version
    _ = try tbs.read(tag: 0x02)  // serial
    _ = try tbs.read(tag: 0x30)  // signature
    let issuer = Array(try tbs.read(tag: 0x30).encoded)
    _ = try tbs.read(tag: 0x30)  // validity
    let subject = Array(try tbs.read(tag: 0x30).encoded)
    return (issuer, subject)
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
}

@Suite("OpenSSL engine") struct OpenSSLSpecificTests {
    let backend = OpenSSLBackend()

    // MARK: Keys

    @Test func reportsTheLibraryVersion() {
        #expect(backend.engine == .openssl)
        #expect(backend.libraryVersion.hasPrefix("OpenSSL 3."))
    }

    @Test(arguments: KeyType.allCases) func generatesEveryKeyType(_ type: KeyType) throws {
        let key = try backend.generatePrivateKey(type)
        #expect(key.publicKeyDescription == type.publicKeyDescription)
        #expect(DERReader.isSingleSequence(key.pkcs8DER))
        let again = try backend.importPrivateKey(der: key.pkcs8DER, format: .pkcs8, passphrase: nil)
        #expect(again.pkcs8DER == key.pkcs8DER)
        #expect(again.publicKeyDescription == type.publicKeyDescription)
        let spki = try backend.publicKeyInfo(of: key)
        #expect(DERReader.isSingleSequence(spki))
        #expect(try DERReader.subjectPublicKeyBits(ofSPKI: spki).count > 0)
    }

    @Test func encryptsWithPBES2AndDecryptsOnlyWithThePassphrase() throws {
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let encrypted = try backend.exportEncryptedPrivateKey(key, passphrase: "correct horse")
        // PBES2, PBKDF2, hmacWithSHA256, aes256-CBC and 100000 iterations appear in the parameters.
        let pbes2: [UInt8] = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d]
        let pbkdf2: [UInt8] = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c]
        let hmacSHA256: [UInt8] = [0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09]
        let aes256CBC: [UInt8] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a]
        let iterations: [UInt8] = [0x02, 0x03, 0x01, 0x86, 0xa0]
        for needle in [pbes2, pbkdf2, hmacSHA256, aes256CBC, iterations] { #expect(contains(encrypted, needle)) }

        let decrypted = try backend.importPrivateKey(
            der: encrypted, format: .encryptedPKCS8, passphrase: "correct horse")
        #expect(decrypted.pkcs8DER == key.pkcs8DER)
        for passphrase in [nil, "wrong horse", ""] {
            #expect {
                try backend.importPrivateKey(der: encrypted, format: .encryptedPKCS8, passphrase: passphrase)
            } throws: { ($0 as? PKIError)?.code == .badPassphrase }
        }
    }

    @Test func importsPKCS1AndSEC1AsPKCS8() throws {
        let rsa = try backend.importPrivateKey(der: Vectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
        #expect(rsa.publicKeyDescription == PublicKeyDescription(algorithm: .rsa, bits: 1024, curve: nil))
        #expect(
            try backend.importPrivateKey(der: rsa.pkcs8DER, format: .pkcs8, passphrase: nil).pkcs8DER == rsa.pkcs8DER)
        let ec = try backend.importPrivateKey(der: Vectors.sec1P256, format: .sec1, passphrase: nil)
        #expect(ec.publicKeyDescription == KeyType.ecdsaP256.publicKeyDescription)
        // Each format is decoded as itself only.
        #expect(throws: PKIError.self) {
            try backend.importPrivateKey(der: Vectors.sec1P256, format: .pkcs1, passphrase: nil)
        }
        #expect(throws: PKIError.self) {
            try backend.importPrivateKey(der: rsa.pkcs8DER, format: .pkcs1, passphrase: nil)
        }
    }

    @Test func refusesGarbageAndUnsupportedKeys() throws {
        let key = try backend.generatePrivateKey(.ed25519)
        let inputs: [([UInt8], PrivateKeyFormat)] = [
            ([], .pkcs8), ([0x30, 0x03, 0x02, 0x01, 0x00], .pkcs8), (key.pkcs8DER + [0], .pkcs8),
            (Array("not a key".utf8), .pkcs1), (Array("not a key".utf8), .sec1), (key.pkcs8DER, .encryptedPKCS8),
            (Vectors.sec1P256 + [0], .sec1),
        ]
        for (der, format) in inputs {
            #expect {
                try backend.importPrivateKey(der: der, format: format, passphrase: "x")
            } throws: { ($0 as? PKIError)?.code == .invalidInput }
        }
        for (der, format) in [(Vectors.pkcs8X25519, PrivateKeyFormat.pkcs8), (Vectors.sec1Secp256k1, .sec1)] {
            #expect {
                try backend.importPrivateKey(der: der, format: format, passphrase: nil)
            } throws: { ($0 as? PKIError)?.code == .unsupported }
        }
    }

    @Test func digestsMatchKnownAnswers() throws {
        let abc = Array("abc".utf8)
        #expect(Hex.encode(try backend.digest(.sha1, abc)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            Hex.encode(try backend.digest(.sha256, abc))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try backend.digest(.sha384, abc).count == 48)
        #expect(try backend.digest(.sha512, []).count == 64)
    }

    // MARK: Certificates

    @Test func issuesAndParsesAChain() throws {
        let pki = try OpenSSLTestPKI()
        let root = try backend.parseCertificate(der: pki.root.certificate)
        #expect(root.version == 3)
        #expect(root.subject == "CN=Test Root" && root.isSelfIssued)
        #expect(root.isCA && root.pathLengthConstraint == nil)
        #expect(root.keyUsage == [.keyCertSign, .cRLSign, .digitalSignature])
        #expect(root.extendedKeyUsage == nil)
        #expect(root.subjectKeyIdentifier != nil && root.authorityKeyIdentifier == root.subjectKeyIdentifier)
        #expect(root.signatureAlgorithmOID == "1.2.840.10045.4.3.2")
        #expect(root.publicKey == KeyType.ecdsaP384.publicKeyDescription)
        #expect(root.fingerprintSHA256 == (try backend.digest(.sha256, pki.root.certificate)))

        let intermediate = try backend.parseCertificate(der: pki.intermediate.certificate)
        #expect(intermediate.issuer == "CN=Test Root" && intermediate.subject == "CN=Test Intermediate")
        #expect(intermediate.isCA && intermediate.pathLengthConstraint == 0)
        #expect(intermediate.authorityKeyIdentifier == root.subjectKeyIdentifier)

        let leaf = try backend.parseCertificate(der: pki.leaf)
        #expect(leaf.subject == "CN=www.example.com" && leaf.issuer == "CN=Test Intermediate")
        #expect(!leaf.isCA && leaf.pathLengthConstraint == nil)
        #expect(leaf.keyUsage == [.digitalSignature])
        #expect(leaf.extendedKeyUsage == [ExtendedKeyUsage.serverAuth])
        #expect(
            leaf.subjectAlternativeNames == [
                .dns("www.example.com"), .dns("*.api.example.com"), .ip(IPAddress("192.0.2.1")!),
            ])
        #expect(leaf.notAfter.timeIntervalSince(leaf.notBefore) == 825 * 86_400 + 60)
        #expect(leaf.serialNumber.count >= 16 && leaf.serialNumber.count <= 17)
        #expect(try backend.privateKey(pki.leafKey, matchesCertificate: pki.leaf))
        #expect(try !backend.privateKey(pki.rootKey, matchesCertificate: pki.leaf))
        // The issuer name is the issuer's subject, byte for byte.
        #expect(try names(ofCertificate: pki.leaf).issuer == names(ofCertificate: pki.intermediate.certificate).subject)
    }

    @Test func encodesEveryRequestedField() throws {
        let key = try backend.generatePrivateKey(.ed25519)
        let spki = try backend.publicKeyInfo(of: key)
        let subject = DistinguishedName([
            .country("DE"), .organization("Zürich, \"Ltd\" + Co"), .organizationalUnit(" #ops"),
            .commonName("ünïcödé"),
        ])
        let notBefore = Date(timeIntervalSince1970: 1_700_000_000)
        let notAfter = Date(timeIntervalSince1970: 2_600_000_000)  // 2052: GeneralizedTime
        let request = CertificateRequest(
            subject: subject, serialNumber: [0x00, 0x80, 0x01], notBefore: notBefore, notAfter: notAfter,
            subjectPublicKeyInfo: spki, isCA: true, pathLengthConstraint: 3,
            keyUsage: [.digitalSignature, .keyCertSign, .cRLSign, .decipherOnly],
            extendedKeyUsage: [ExtendedKeyUsage.clientAuth, "1.3.6.1.4.1.99999.1"],
            subjectAlternativeNames: [
                .email("ops@example.com"), .uri("https://example.com/x"), .ip(IPAddress("2001:db8::1")!),
                .dns("example.com"),
            ],
            subjectKeyIdentifier: [1, 2, 3], authorityKeyIdentifier: [4, 5, 6])
        let der = try backend.createCertificate(request, issuer: nil, signingKey: key)
        let info = try backend.parseCertificate(der: der)
        #expect(info.subject == "CN=ünïcödé,OU=\\ #ops,O=Zürich\\, \\\"Ltd\\\" \\+ Co,C=DE")
        #expect(info.issuer == info.subject)
        #expect(info.serialNumber == [0x00, 0x80, 0x01] && info.serialHex == "8001")
        #expect(info.notBefore == notBefore && info.notAfter == notAfter)
        #expect(info.isCA && info.pathLengthConstraint == 3)
        #expect(info.keyUsage == [.digitalSignature, .keyCertSign, .cRLSign, .decipherOnly])
        #expect(info.extendedKeyUsage == [ExtendedKeyUsage.clientAuth, "1.3.6.1.4.1.99999.1"])
        #expect(info.subjectAlternativeNames == request.subjectAlternativeNames)
        #expect(info.subjectKeyIdentifier == [1, 2, 3] && info.authorityKeyIdentifier == [4, 5, 6])
        #expect(info.signatureAlgorithmOID == "1.3.101.112")
        #expect(info.publicKey == KeyType.ed25519.publicKeyDescription)
        // countryName is a PrintableString, the rest UTF8Strings; GeneralizedTime after 2049.
        #expect(contains(der, [0x13, 0x02, 0x44, 0x45]))
        #expect(contains(der, [0x0c, 0x0b] + Array("ünïcödé".utf8)))
        #expect(contains(der, [0x18, 0x0f] + Array("20520522".utf8)))
    }

    @Test func parsesACertificateMadeByTheOpenSSLCLI() throws {
        let info = try backend.parseCertificate(der: Vectors.opensslCLICertificate)
        #expect(info.subject == "emailAddress=a@b.example,CN=Odd \\,Name,O=Org+OU=Unit,C=US")
        #expect(info.issuer == info.subject)
        #expect(info.serialNumber == [0xfb])
        #expect(info.isCA && info.pathLengthConstraint == 2 && info.keyUsage == nil)
        #expect(info.extendedKeyUsage == [ExtendedKeyUsage.serverAuth, "1.2.3.4"])
        #expect(
            info.subjectAlternativeNames == [
                .dns("a.example"), .other(tag: 0), .other(tag: 4), .ip(IPAddress("10.0.0.1")!), .other(tag: 8),
                .email("x@y.example"),
            ])
        #expect(info.subjectKeyIdentifier?.count == 20 && info.authorityKeyIdentifier == nil)
        // A certificate issued under it copies its subject byte for byte (PrintableStrings, multi-valued RDN).
        let caKey = try backend.importPrivateKey(der: Vectors.opensslCLIKey, format: .sec1, passphrase: nil)
        #expect(try backend.privateKey(caKey, matchesCertificate: Vectors.opensslCLICertificate))
        let leafKey = try backend.generatePrivateKey(.ecdsaP256)
        let request = CertificateRequest(
            subject: .commonName("leaf"), serialNumber: [1], notBefore: Date(), notAfter: Date().addingTimeInterval(60),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: leafKey))
        let leaf = try backend.createCertificate(request, issuer: Vectors.opensslCLICertificate, signingKey: caKey)
        #expect(try names(ofCertificate: leaf).issuer == names(ofCertificate: Vectors.opensslCLICertificate).subject)
        #expect(try backend.parseCertificate(der: leaf).issuer == info.subject)
    }

    @Test(arguments: [KeyType.ed25519, .rsa2048, .ecdsaP384])
    func verifiesChainsWithEveryLeafKeyType(_ type: KeyType) throws {
        let pki = try OpenSSLTestPKI(leafKeyType: type)
        #expect(try pki.verify(policy: VerificationPolicy(peer: .dns("www.example.com"))).failures == [])
        #expect(try backend.parseCertificate(der: pki.leaf).publicKey == type.publicKeyDescription)
    }

    @Test(arguments: [DigestAlgorithm.sha256, .sha384, .sha512, .sha1])
    func signsRSAWithTheRequestedDigest(_ digest: DigestAlgorithm) throws {
        let key = try backend.importPrivateKey(der: Vectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
        let pki = try OpenSSLTestPKI()
        let request = try pki.request("rsa", key: key, issuerInfo: nil, digest: digest)
        let info = try backend.parseCertificate(
            der: try backend.createCertificate(request, issuer: nil, signingKey: key))
        let expected: [DigestAlgorithm: String] = [
            .sha1: "1.2.840.113549.1.1.5", .sha256: "1.2.840.113549.1.1.11", .sha384: "1.2.840.113549.1.1.12",
            .sha512: "1.2.840.113549.1.1.13",
        ]
        #expect(info.signatureAlgorithmOID == expected[digest])
    }

    @Test func emptySubjectMakesTheSANCritical() throws {
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let request = CertificateRequest(
            subject: DistinguishedName([]), serialNumber: [1], notBefore: Date(timeIntervalSince1970: 0),
            notAfter: Date(timeIntervalSince1970: 86_400), subjectPublicKeyInfo: try backend.publicKeyInfo(of: key),
            subjectAlternativeNames: [.dns("a.example")])
        let der = try backend.createCertificate(request, issuer: nil, signingKey: key)
        let info = try backend.parseCertificate(der: der)
        #expect(info.subject == "" && info.subjectAlternativeNames == [.dns("a.example")])
        #expect(!info.isCA && info.keyUsage == nil && info.extendedKeyUsage == nil)
        // subjectAltName OID, then BOOLEAN TRUE; basicConstraints is an empty SEQUENCE (cA FALSE).
        #expect(contains(der, [0x06, 0x03, 0x55, 0x1d, 0x11, 0x01, 0x01, 0xff]))
        #expect(contains(der, [0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff, 0x04, 0x02, 0x30, 0x00]))
    }

    @Test func keepsOddDNSNameBytesWithoutCrashing() throws {
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let request = CertificateRequest(
            subject: .commonName("odd"), serialNumber: [1], notBefore: Date(), notAfter: Date().addingTimeInterval(60),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: key), subjectAlternativeNames: [.dns("a\u{0}b\u{7f}")])
        var der = try backend.createCertificate(request, issuer: nil, signingKey: key)
        #expect(try backend.parseCertificate(der: der).subjectAlternativeNames == [.dns("a\u{0}b\u{7f}")])
        // Make the last byte of the name 0xff (the signature no longer matters for parsing).
        let marker: [UInt8] = [0x82, 0x04, 0x61, 0x00, 0x62, 0x7f]
        let index = try #require((0...(der.count - marker.count)).first { Array(der[$0..<($0 + 6)]) == marker })
        der[index + 5] = 0xff
        #expect(try backend.parseCertificate(der: der).subjectAlternativeNames == [.dns("a\u{0}b\u{fffd}")])
    }

    @Test func refusesBadCertificateInputs() throws {
        let pki = try OpenSSLTestPKI()
        for der in [[], [0x30, 0x00], pki.leaf + [0], Array(pki.leaf.dropLast())] {
            #expect { try backend.parseCertificate(der: der) } throws: { ($0 as? PKIError)?.code == .invalidInput }
        }
        var request = try pki.request("x", key: pki.leafKey, issuerInfo: nil)
        request.subject = DistinguishedName([.init(oid: "commonName", value: "x")])
        #expect(throws: PKIError.self) { try backend.createCertificate(request, issuer: nil, signingKey: pki.leafKey) }
        request.subject = DistinguishedName([.country("D\u{e9}")])
        #expect(throws: PKIError.self) { try backend.createCertificate(request, issuer: nil, signingKey: pki.leafKey) }
        request.subject = .commonName("x")
        for serial: [UInt8] in [[], [0x80], [0x00, 0x01]] {
            request.serialNumber = serial
            #expect { try backend.createCertificate(request, issuer: nil, signingKey: pki.leafKey) } throws: {
                ($0 as? PKIError)?.code == .invalidArgument
            }
        }
        request.serialNumber = [1]
        request.subjectAlternativeNames = [.dns("bücher.example")]
        #expect(throws: PKIError.self) { try backend.createCertificate(request, issuer: nil, signingKey: pki.leafKey) }
    }

    // MARK: Verification

    @Test func acceptsAGoodChain() throws {
        let pki = try OpenSSLTestPKI()
        #expect(try pki.verify().failures == [])
        #expect(try pki.verify(anchors: [pki.root.certificate, pki.root.certificate]).isValid)
        #expect(try pki.verify(policy: VerificationPolicy(peer: .dns("www.example.com"))).isValid)
        #expect(try pki.verify(policy: VerificationPolicy(peer: .dns("WWW.Example.COM"))).isValid)
        #expect(try pki.verify(policy: VerificationPolicy(peer: .dns("v1.api.example.com"))).isValid)
        #expect(try pki.verify(policy: VerificationPolicy(peer: .ip(IPAddress("192.0.2.1")!))).isValid)
        #expect(try pki.verify(policy: VerificationPolicy(purpose: nil)).isValid)
        // The intermediate may itself be the anchor.
        #expect(try pki.verify(intermediates: [], anchors: [pki.intermediate.certificate]).isValid)
        let result = try pki.verify()
        #expect(result.engine == .openssl)
    }

    @Test func reportsTimeFailures() throws {
        let pki = try OpenSSLTestPKI()
        let expired = try pki.verify(policy: VerificationPolicy(time: Date().addingTimeInterval(900 * 86_400)))
        #expect(expired.reasons == [.expired])
        #expect(expired.failures.first?.depth == 0)
        let early = try pki.verify(policy: VerificationPolicy(time: Date().addingTimeInterval(-86_400)))
        #expect(early.reasons == [.notYetValid])
        // The anchor is checked like every certificate on the path.
        #expect(Set(early.failures.compactMap(\.depth)) == [0, 1, 2])
    }

    @Test func reportsNameMismatches() throws {
        let pki = try OpenSSLTestPKI()
        for name in ["other.example.com", "example.com", "a.b.api.example.com", "api.example.com"] {
            #expect(try pki.verify(policy: VerificationPolicy(peer: .dns(name))).reasons == [.hostnameMismatch])
        }
        #expect(try pki.verify(policy: VerificationPolicy(peer: .ip(IPAddress("192.0.2.2")!))).reasons == [.ipMismatch])
        // The subject CN is never used: a certificate whose only name is the CN matches no host.
        let client = try CertificateIssuer(backend: backend).issue(
            .client(name: "client.example.com"), subjectKey: pki.leafKey, authority: pki.intermediate)
        let policy = VerificationPolicy(purpose: .client, peer: .dns("client.example.com"))
        #expect(try pki.verify(client, policy: policy).reasons == [.hostnameMismatch])
    }

    @Test func reportsPurposeMismatch() throws {
        let pki = try OpenSSLTestPKI()
        #expect(try pki.verify(policy: VerificationPolicy(purpose: .client)).reasons == [.purposeMismatch])
    }

    @Test func reportsAnIssuerThatIsNotACA() throws {
        let pki = try OpenSSLTestPKI()
        let leafInfo = try backend.parseCertificate(der: pki.leaf)
        let otherKey = try backend.generatePrivateKey(.ecdsaP256)
        let request = try pki.request(
            "under-a-leaf", key: otherKey, issuerInfo: leafInfo, eku: [ExtendedKeyUsage.serverAuth],
            sans: [.dns("under.example")])
        let underLeaf = try backend.createCertificate(request, issuer: pki.leaf, signingKey: pki.leafKey)
        let result = try pki.verify(underLeaf, intermediates: [pki.leaf, pki.intermediate.certificate])
        #expect(result.reasons.contains(.notCA))
    }

    @Test func reportsPathLengthFailures() throws {
        let pki = try OpenSSLTestPKI(intermediatePathLength: 0)
        let issuer = CertificateIssuer(backend: backend)
        let subKey = try backend.generatePrivateKey(.ecdsaP256)
        let subCA = try SigningAuthority(
            certificate: try issuer.issue(
                .intermediateCA(name: "Sub CA", pathLength: nil), subjectKey: subKey, authority: pki.intermediate),
            key: subKey, backend: backend)
        let leaf = try issuer.issue(
            .server(name: "deep.example", dns: ["deep.example"], ips: []), subjectKey: pki.leafKey, authority: subCA)
        let intermediates = [subCA.certificate, pki.intermediate.certificate]
        #expect(try pki.verify(leaf, intermediates: intermediates).reasons == [.pathLengthExceeded])
        // maxIntermediates counts the CAs between the leaf and the anchor.
        let shallow = VerificationPolicy(maxIntermediates: 0)
        let shallowResult = try pki.verify(policy: shallow)
        #expect(shallowResult.reasons == [.pathLengthExceeded], "\(shallowResult.failures)")
        #expect(try pki.verify(policy: VerificationPolicy(maxIntermediates: 1)).isValid)
    }

    @Test func reportsUntrustedChains() throws {
        let pki = try OpenSSLTestPKI()
        let other = try OpenSSLTestPKI()
        #expect(try pki.verify(anchors: [other.root.certificate]).reasons == [.untrusted])
        #expect(try pki.verify(intermediates: []).reasons == [.untrusted])
        #expect(try pki.verify(pki.root.certificate, anchors: [other.root.certificate]).reasons == [.untrusted])
    }

    @Test func reportsATamperedSignature() throws {
        let pki = try OpenSSLTestPKI()
        var tampered = pki.leaf
        tampered[tampered.count - 3] ^= 0x01
        #expect(try pki.verify(tampered).reasons == [.badSignature])
    }

    @Test func reportsWeakAlgorithms() throws {
        let pki = try OpenSSLTestPKI()
        // A SHA-1 signature below the anchor is rejected.
        let weakKey = try backend.generatePrivateKey(.ecdsaP256)
        let request = try pki.request(
            "sha1.example", key: weakKey, issuerInfo: pki.intermediate.info, eku: [ExtendedKeyUsage.serverAuth],
            sans: [.dns("sha1.example")], digest: .sha1)
        let sha1Leaf = try backend.createCertificate(
            request, issuer: pki.intermediate.certificate, signingKey: pki.intermediateKey)
        #expect(try pki.verify(sha1Leaf).reasons == [.insecureAlgorithm])
        // An RSA key under 2048 bits is rejected.
        let smallKey = try backend.importPrivateKey(der: Vectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
        let smallRequest = try pki.request(
            "small.example", key: smallKey, issuerInfo: pki.intermediate.info, keyUsage: [.digitalSignature],
            eku: [ExtendedKeyUsage.serverAuth], sans: [.dns("small.example")])
        let smallLeaf = try backend.createCertificate(
            smallRequest, issuer: pki.intermediate.certificate, signingKey: pki.intermediateKey)
        #expect(try pki.verify(smallLeaf).reasons == [.insecureAlgorithm])
        // A SHA-1 self-signed anchor is fine: its own signature is not checked.
        let rootKey = try backend.generatePrivateKey(.ecdsaP256)
        let rootRequest = try pki.request(
            "SHA-1 Root", key: rootKey, issuerInfo: nil, isCA: true, keyUsage: [.keyCertSign, .cRLSign], digest: .sha1)
        let sha1Root = try backend.createCertificate(rootRequest, issuer: nil, signingKey: rootKey)
        let rootInfo = try backend.parseCertificate(der: sha1Root)
        let leafRequest = try pki.request(
            "ok.example", key: weakKey, issuerInfo: rootInfo, eku: [ExtendedKeyUsage.serverAuth],
            sans: [.dns("ok.example")])
        let leaf = try backend.createCertificate(leafRequest, issuer: sha1Root, signingKey: rootKey)
        #expect(try pki.verify(leaf, intermediates: [], anchors: [sha1Root]).isValid)
    }

    @Test func anExpiredAnchorIsRefused() throws {
        let pki = try OpenSSLTestPKI()
        let rootKey = try backend.generatePrivateKey(.ecdsaP256)
        let past = Date().addingTimeInterval(-10 * 86_400)
        let rootRequest = try pki.request(
            "Old Root", key: rootKey, issuerInfo: nil, isCA: true, keyUsage: [.keyCertSign, .cRLSign],
            notBefore: past.addingTimeInterval(-86_400), notAfter: past)
        let oldRoot = try backend.createCertificate(rootRequest, issuer: nil, signingKey: rootKey)
        let leafRequest = try pki.request(
            "ok.example", key: pki.leafKey, issuerInfo: try backend.parseCertificate(der: oldRoot),
            eku: [ExtendedKeyUsage.serverAuth], sans: [.dns("ok.example")])
        let leaf = try backend.createCertificate(leafRequest, issuer: oldRoot, signingKey: rootKey)
        let result = try pki.verify(leaf, intermediates: [], anchors: [oldRoot])
        #expect(result.reasons == [.expired] && result.failures.map(\.depth) == [1])
    }

    @Test func checksTheAnchorAsAnIssuer() throws {
        let pki = try OpenSSLTestPKI()
        // An anchor that issues must be a CA.
        let leafInfo = try backend.parseCertificate(der: pki.leaf)
        let otherKey = try backend.generatePrivateKey(.ecdsaP256)
        let request = try pki.request(
            "under-a-leaf", key: otherKey, issuerInfo: leafInfo, eku: [ExtendedKeyUsage.serverAuth],
            sans: [.dns("under.example")])
        let underLeaf = try backend.createCertificate(request, issuer: pki.leaf, signingKey: pki.leafKey)
        #expect(try pki.verify(underLeaf, intermediates: [], anchors: [pki.leaf]).reasons == [.notCA])
        // OpenSSL checks the key size of every issuer, the anchor included.
        let smallKey = try backend.importPrivateKey(der: Vectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
        let rootRequest = try pki.request(
            "Small Root", key: smallKey, issuerInfo: nil, isCA: true, keyUsage: [.keyCertSign, .cRLSign])
        let smallRoot = try backend.createCertificate(rootRequest, issuer: nil, signingKey: smallKey)
        let leafRequest = try pki.request(
            "ok.example", key: otherKey, issuerInfo: try backend.parseCertificate(der: smallRoot),
            eku: [ExtendedKeyUsage.serverAuth], sans: [.dns("ok.example")])
        let leaf = try backend.createCertificate(leafRequest, issuer: smallRoot, signingKey: smallKey)
        let result = try pki.verify(leaf, intermediates: [], anchors: [smallRoot])
        #expect(result.reasons == [.insecureAlgorithm] && result.failures.first?.depth == 1)
        // A leaf that is itself an anchor is still checked for time.
        let late = VerificationPolicy(time: Date().addingTimeInterval(900 * 86_400))
        #expect(try pki.verify(intermediates: [], anchors: [pki.leaf], policy: late).reasons == [.expired])
        #expect(try pki.verify(intermediates: [], anchors: [pki.leaf]).isValid)
    }

    @Test func appliesOpenSSLPurposeRulesToIntermediatesAndLeafKeyUsage() throws {
        let pki = try OpenSSLTestPKI()
        // An intermediate whose extendedKeyUsage lacks serverAuth may not issue server certificates.
        let caKey = try backend.generatePrivateKey(.ecdsaP256)
        let caRequest = try pki.request(
            "Client-only CA", key: caKey, issuerInfo: pki.root.info, isCA: true,
            keyUsage: [.keyCertSign, .cRLSign], eku: [ExtendedKeyUsage.clientAuth])
        let clientCA = try backend.createCertificate(caRequest, issuer: pki.root.certificate, signingKey: pki.rootKey)
        let leafRequest = try pki.request(
            "srv.example", key: pki.leafKey, issuerInfo: try backend.parseCertificate(der: clientCA),
            eku: [ExtendedKeyUsage.serverAuth], sans: [.dns("srv.example")])
        let leaf = try backend.createCertificate(leafRequest, issuer: clientCA, signingKey: caKey)
        let result = try pki.verify(leaf, intermediates: [clientCA])
        #expect(result.reasons == [.purposeMismatch] && result.failures.first?.depth == 1)
        #expect(try pki.verify(leaf, intermediates: [clientCA], policy: VerificationPolicy(purpose: nil)).isValid)
        // A server leaf's keyUsage must allow a TLS key exchange (digitalSignature, keyEncipherment or keyAgreement).
        let kuRequest = try pki.request(
            "ku.example", key: pki.leafKey, issuerInfo: pki.intermediate.info, keyUsage: [.dataEncipherment],
            eku: [ExtendedKeyUsage.serverAuth], sans: [.dns("ku.example")])
        let kuLeaf = try backend.createCertificate(
            kuRequest, issuer: pki.intermediate.certificate, signingKey: pki.intermediateKey)
        #expect(try pki.verify(kuLeaf).reasons == [.purposeMismatch])
    }

    @Test func throwsOnlyForUndecodableInput() throws {
        let pki = try OpenSSLTestPKI()
        #expect(throws: PKIError.self) { try pki.verify([0x30, 0x00]) }
        #expect(throws: PKIError.self) { try pki.verify(anchors: [pki.root.certificate + [0]]) }
        #expect(throws: PKIError.self) { try pki.verify(crls: [[0x30, 0x00]]) }
    }

    // MARK: CRLs

    private func crl(
        _ pki: OpenSSLTestPKI, revoking serials: [[UInt8]], thisUpdate: Date = Date().addingTimeInterval(-60),
        nextUpdate: Date = Date().addingTimeInterval(7 * 86_400)
    ) throws -> [UInt8] {
        let request = CRLRequest(
            thisUpdate: thisUpdate, nextUpdate: nextUpdate, crlNumber: [0x00, 0x9c],
            revoked: serials.map {
                RevokedCertificate(serialNumber: $0, revocationDate: thisUpdate, reason: .superseded)
            },
            authorityKeyIdentifier: pki.intermediate.info.subjectKeyIdentifier)
        return try backend.createCRL(request, issuer: pki.intermediate.certificate, signingKey: pki.intermediateKey)
    }

    @Test func createsAndParsesCRLs() throws {
        let pki = try OpenSSLTestPKI()
        let thisUpdate = Date(timeIntervalSince1970: 1_750_000_000)
        let entries = [
            RevokedCertificate(serialNumber: [0x7f, 0x01], revocationDate: thisUpdate, reason: .keyCompromise),
            RevokedCertificate(serialNumber: [0x00, 0x80], revocationDate: thisUpdate.addingTimeInterval(1)),
            RevokedCertificate(serialNumber: [0x05], revocationDate: thisUpdate, reason: .removeFromCRL),
        ]
        let request = CRLRequest(
            thisUpdate: thisUpdate, nextUpdate: thisUpdate.addingTimeInterval(86_400), crlNumber: [0x01, 0x00],
            revoked: entries, authorityKeyIdentifier: pki.intermediate.info.subjectKeyIdentifier, digest: .sha384)
        let der = try backend.createCRL(request, issuer: pki.intermediate.certificate, signingKey: pki.intermediateKey)
        let info = try backend.parseCRL(der: der)
        #expect(info.issuer == "CN=Test Intermediate")
        #expect(info.thisUpdate == thisUpdate && info.nextUpdate == thisUpdate.addingTimeInterval(86_400))
        #expect(info.crlNumber == [0x01, 0x00])
        #expect(info.revoked == entries)  // request order is kept
        #expect(info.signatureAlgorithmOID == "1.2.840.10045.4.3.3")
        #expect(info.der == der)

        let empty = try backend.parseCRL(der: try crl(pki, revoking: []))
        #expect(empty.revoked == [] && empty.crlNumber == [0x00, 0x9c])
        for bad in [[], der + [0], [0x30, 0x00]] {
            #expect { try backend.parseCRL(der: bad) } throws: { ($0 as? PKIError)?.code == .invalidInput }
        }
    }

    @Test func checksRevocation() throws {
        let pki = try OpenSSLTestPKI()
        let leafSerial = try backend.parseCertificate(der: pki.leaf).serialNumber
        // The root has no CRL here: that is not a failure.
        #expect(try pki.verify(crls: [try crl(pki, revoking: [[0x01, 0x02]])]).isValid)
        let revoked = try pki.verify(crls: [try crl(pki, revoking: [[0x01, 0x02], leafSerial])])
        #expect(revoked.reasons == [.revoked])
        #expect(revoked.failures.first?.depth == 0)
        let stale = try crl(
            pki, revoking: [], thisUpdate: Date().addingTimeInterval(-20 * 86_400),
            nextUpdate: Date().addingTimeInterval(-10 * 86_400))
        #expect(try pki.verify(crls: [stale]).reasons == [.invalidCRL])
    }

    @Test func signsCRLsWithEd25519() throws {
        let key = try backend.generatePrivateKey(.ed25519)
        let pki = try OpenSSLTestPKI()
        let request = try pki.request(
            "Ed CA", key: key, issuerInfo: nil, isCA: true, keyUsage: [.keyCertSign, .cRLSign])
        let ca = try backend.createCertificate(request, issuer: nil, signingKey: key)
        let crl = try backend.createCRL(
            CRLRequest(
                thisUpdate: Date(), nextUpdate: Date().addingTimeInterval(3600), crlNumber: [1], revoked: [],
                authorityKeyIdentifier: nil),
            issuer: ca, signingKey: key)
        let info = try backend.parseCRL(der: crl)
        #expect(info.signatureAlgorithmOID == "1.3.101.112" && info.issuer == "CN=Ed CA")
    }
}
