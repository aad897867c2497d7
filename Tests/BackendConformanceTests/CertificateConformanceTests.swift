import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Certificates are made and read the same on every engine")
struct CertificateConformanceTests {
    @Test("a root CA carries the CA profile", arguments: EngineUnderTest.all, KeyType.allCases)
    func rootCACarriesTheCAProfile(engine: EngineUnderTest, type: KeyType) throws {
        let root = try TestPKI(engine).root("Example DB CA", keyType: type)
        let info = root.info
        #expect(info.version == 3)
        #expect(info.subject == "CN=Example DB CA")
        #expect(info.issuer == info.subject)
        #expect(info.isCA)
        #expect(info.keyUsage == [.keyCertSign, .cRLSign, .digitalSignature])
        #expect(info.extendedKeyUsage == nil)
        #expect(info.publicKey == type.publicKeyDescription)
        #expect(info.subjectKeyIdentifier?.count == 20)
        #expect(info.authorityKeyIdentifier == info.subjectKeyIdentifier)
        #expect(info.notAfter.timeIntervalSince(TestPKI.now) == 7300 * TestPKI.day)
        #expect(info.notBefore == TestPKI.now.addingTimeInterval(-60))
        let expectedSignature: String =
            switch type {
            case .ecdsaP256, .ecdsaP384: "1.2.840.10045.4.3.2"
            case .rsa2048, .rsa3072, .rsa4096: "1.2.840.113549.1.1.11"
            case .ed25519: "1.3.101.112"
            }
        #expect(info.signatureAlgorithmOID == expectedSignature)
    }

    @Test("a serial is 16 random bytes, positive, and never repeats", arguments: EngineUnderTest.all)
    func serialsAreRandomAndPositive(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        var seen = Set<[UInt8]>()
        for index in 0..<8 {
            let leaf = try pki.issue(.client(name: "client\(index)"), by: root)
            let serial = leaf.info.serialNumber
            #expect(serial.count == 16 || (serial.count == 17 && serial[0] == 0 && serial[1] & 0x80 != 0))
            #expect(serial.first! & 0x80 == 0)
            #expect(seen.insert(serial).inserted)
        }
    }

    @Test("a server leaf carries its names, serverAuth and the issuer's key id", arguments: EngineUnderTest.all)
    func serverLeafCarriesItsNames(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let leaf = try pki.issue(
            .server(
                name: "db1.example.com", dns: ["db1.example.com", "db1"],
                ips: [IPAddress("192.0.2.10")!, IPAddress("2001:db8::10")!]),
            by: root, keyType: .rsa2048)
        let info = leaf.info
        #expect(info.subject == "CN=db1.example.com")
        #expect(info.issuer == "CN=dbpki Test Root")
        #expect(!info.isCA)
        #expect(info.pathLengthConstraint == nil)
        #expect(info.keyUsage == [.digitalSignature, .keyEncipherment])
        #expect(info.extendedKeyUsage == [ExtendedKeyUsage.serverAuth])
        #expect(
            info.subjectAlternativeNames == [
                .dns("db1.example.com"), .dns("db1"), .ip(IPAddress("192.0.2.10")!), .ip(IPAddress("2001:db8::10")!),
            ])
        #expect(info.authorityKeyIdentifier == root.info.subjectKeyIdentifier)
        #expect(info.fingerprintSHA256 == (try engine.backend.digest(.sha256, leaf.der)))
    }

    @Test("a leaf never outlives its CA", arguments: EngineUnderTest.all)
    func leafNeverOutlivesItsCA(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let issuing = try pki.issue(.intermediateCA(name: "Short CA", days: 10), by: root)
        let leaf = try pki.issue(.client(name: "c", days: 825), by: issuing)
        #expect(leaf.info.notAfter == issuing.info.notAfter)
    }

    @Test("an intermediate carries its path length", arguments: EngineUnderTest.all)
    func intermediateCarriesPathLength(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let intermediate = try pki.issue(.intermediateCA(name: "Issuing", pathLength: 0), by: pki.root())
        #expect(intermediate.info.isCA)
        #expect(intermediate.info.pathLengthConstraint == 0)
    }

    @Test("names with RFC 4514 specials and UTF-8 print the same", arguments: EngineUnderTest.pairs)
    func specialNamesPrintTheSame(pair: EnginePair) throws {
        let pki = TestPKI(pair.maker)
        let root = try pki.root()
        let leaf = try pki.custom(subject: "x", by: root) {
            $0.subject = DistinguishedName([
                .country("DE"), .organization("Müller, Söhne + Co"), .organizationalUnit("#ops"),
                .commonName(" db\"1\" "),
            ])
        }
        let info = try pair.checker.backend.parseCertificate(der: leaf.der)
        #expect(info.subject == ##"CN=\ db\"1\"\ ,OU=\#ops,O=Müller\, Söhne \+ Co,C=DE"##)
    }

    @Test("validity after 2049 survives as GeneralizedTime", arguments: EngineUnderTest.pairs)
    func validityAfter2049Survives(pair: EnginePair) throws {
        let far = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        let cert = try TestPKI(pair.maker).custom(subject: "far", by: nil) { $0.notAfter = far }
        #expect(try pair.checker.backend.parseCertificate(der: cert.der).notAfter == far)
    }

    @Test("both engines parse every certificate to the same value", arguments: EngineUnderTest.pairs)
    func enginesParseAlike(pair: EnginePair) throws {
        let pki = TestPKI(pair.maker)
        let chain = try pki.standardChain(leafKeyType: .ed25519)
        for cert in [chain.root, chain.intermediate, chain.leaf] {
            #expect(try pair.checker.backend.parseCertificate(der: cert.der) == cert.info)
        }
    }

    @Test(
        "a root, an intermediate and a leaf issued through the core carry the profiles' fields, and each key matches only its own certificate",
        arguments: EngineUnderTest.all)
    func chainCarriesTheProfiles(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let pki = TestPKI(engine)
        let rootIssued = try pki.root("Test Root", keyType: .ecdsaP384)
        let intermediateIssued = try pki.issue(
            .intermediateCA(name: "Test Intermediate", pathLength: 0), by: rootIssued)
        let leafIssued = try pki.issue(
            .server(
                name: "www.example.com", dns: ["www.example.com", "*.api.example.com"], ips: [IPAddress("192.0.2.1")!]),
            by: intermediateIssued, keyType: .ed25519)

        let root = try backend.parseCertificate(der: rootIssued.der)
        #expect(root.version == 3)
        #expect(root.subject == "CN=Test Root" && root.isSelfIssued)
        #expect(root.isCA && root.pathLengthConstraint == nil)
        #expect(root.keyUsage == [.keyCertSign, .cRLSign, .digitalSignature])
        #expect(root.extendedKeyUsage == nil)
        #expect(root.subjectKeyIdentifier != nil && root.authorityKeyIdentifier == root.subjectKeyIdentifier)
        #expect(root.signatureAlgorithmOID == "1.2.840.10045.4.3.2")
        #expect(root.publicKey == KeyType.ecdsaP384.publicKeyDescription)
        #expect(root.notBefore == TestPKI.now.addingTimeInterval(-60))
        #expect(root.fingerprintSHA256 == (try backend.digest(.sha256, rootIssued.der)))

        let intermediate = try backend.parseCertificate(der: intermediateIssued.der)
        #expect(intermediate.issuer == "CN=Test Root" && intermediate.subject == "CN=Test Intermediate")
        #expect(intermediate.isCA && intermediate.pathLengthConstraint == 0)
        #expect(intermediate.authorityKeyIdentifier == root.subjectKeyIdentifier)
        #expect(intermediate.publicKey == KeyType.ecdsaP256.publicKeyDescription)

        let leaf = try backend.parseCertificate(der: leafIssued.der)
        #expect(leaf.subject == "CN=www.example.com" && leaf.issuer == "CN=Test Intermediate")
        #expect(!leaf.isCA && leaf.pathLengthConstraint == nil)
        #expect(leaf.keyUsage == [.digitalSignature])
        #expect(leaf.extendedKeyUsage == [ExtendedKeyUsage.serverAuth])
        #expect(
            leaf.subjectAlternativeNames == [
                .dns("www.example.com"), .dns("*.api.example.com"), .ip(IPAddress("192.0.2.1")!),
            ])
        #expect(leaf.publicKey == KeyType.ed25519.publicKeyDescription)
        #expect(leaf.signatureAlgorithmOID == "1.2.840.10045.4.3.2")
        #expect(leaf.notAfter.timeIntervalSince(leaf.notBefore) == 825 * 86_400 + 60)
        #expect(leaf.serialNumber.count >= 16 && leaf.serialNumber.count <= 17)
        #expect(leaf.fingerprintSHA256 == (try backend.digest(.sha256, leafIssued.der)))
        #expect(try backend.privateKey(leafIssued.key, matchesCertificate: leafIssued.der))
        #expect(try !backend.privateKey(rootIssued.key, matchesCertificate: leafIssued.der))
        #expect(try !backend.privateKey(intermediateIssued.key, matchesCertificate: leafIssued.der))
    }

    @Test(
        "an issued certificate names its issuer with the issuer's subject, byte for byte",
        arguments: EngineUnderTest.pairs)
    func issuerNameIsTheIssuersSubject(pair: EnginePair) throws {
        let pki = TestPKI(pair.maker)
        let chain = try pki.standardChain()
        let root = try CertificateBytes.names(chain.root.der)
        #expect(root.issuer == root.subject)
        #expect(try CertificateBytes.names(chain.intermediate.der).issuer == root.subject)
        #expect(
            try CertificateBytes.names(chain.leaf.der).issuer == CertificateBytes.names(chain.intermediate.der).subject)
        // Under a subject another engine wrote (PrintableStrings, a multi-valued RDN), the name is copied, not rebuilt.
        let caKey = try pair.checker.backend.importPrivateKey(
            der: TestVectors.opensslCLIKey, format: .sec1, passphrase: nil)
        let cliCA = Issued(
            der: TestVectors.opensslCLICertificate, key: caKey,
            info: try pair.maker.backend.parseCertificate(der: TestVectors.opensslCLICertificate))
        let leaf = try TestPKI(pair.checker).custom(subject: "leaf", by: cliCA) { _ in }
        #expect(
            try CertificateBytes.names(leaf.der).issuer
                == CertificateBytes.names(TestVectors.opensslCLICertificate).subject)
        #expect(try pair.maker.backend.parseCertificate(der: leaf.der).issuer == cliCA.info.subject)
    }

    @Test(
        "every field of a hand-made CA request is written and read back: escaped UTF-8 names, a leading zero serial, GeneralizedTime, any key usage and EKU, every SAN type",
        arguments: EngineUnderTest.all)
    func everyRequestedFieldIsWritten(engine: EngineUnderTest) throws {
        let backend = engine.backend
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
        #expect(CertificateBytes.contains(der, [0x13, 0x02, 0x44, 0x45]))
        #expect(CertificateBytes.contains(der, [0x0c, 0x0b] + Array("ünïcödé".utf8)))
        #expect(CertificateBytes.contains(der, [0x18, 0x0f] + Array("20520522".utf8)))
    }

    @Test(
        "a hand-made RSA leaf keeps its RDN order and string types, SHA-384, no key identifiers, and dates from 2050 to 9999",
        arguments: EngineUnderTest.all)
    func requestedLeafFieldsAreWritten(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let key = try backend.generatePrivateKey(.rsa2048)
        let subject = DistinguishedName([
            .country("DE"), .organization("Zürich, \"Data\" AG"), .organizationalUnit("Ops+DB"),
            .commonName("ü.example"),
        ])
        let request = CertificateRequest(
            subject: subject, serialNumber: [0x00, 0x80, 0x01], notBefore: Date(timeIntervalSince1970: 2_524_608_000),
            notAfter: Date(timeIntervalSince1970: 253_402_300_799),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: key),
            keyUsage: [.digitalSignature, .keyEncipherment, .decipherOnly],
            extendedKeyUsage: [ExtendedKeyUsage.clientAuth, "1.3.6.1.5.5.7.3.4"],
            subjectAlternativeNames: [
                .email("a@example.com"), .uri("https://example.com/x"), .ip(IPAddress("2001:db8::1")!),
            ],
            digest: .sha384)
        let der = try backend.createCertificate(request, issuer: nil, signingKey: key)
        let info = try backend.parseCertificate(der: der)
        #expect(info.subject == "CN=ü.example,OU=Ops\\+DB,O=Zürich\\, \\\"Data\\\" AG,C=DE")
        #expect(info.issuer == info.subject)
        #expect(info.serialNumber == [0x00, 0x80, 0x01])
        #expect(info.serialHex == "8001")
        #expect(info.notBefore == request.notBefore)  // 2050: GeneralizedTime
        #expect(info.notAfter == request.notAfter)  // 9999-12-31T23:59:59Z
        #expect(info.keyUsage == request.keyUsage)
        #expect(info.extendedKeyUsage == request.extendedKeyUsage)
        #expect(info.subjectAlternativeNames == request.subjectAlternativeNames)
        #expect(info.subjectKeyIdentifier == nil && info.authorityKeyIdentifier == nil)
        #expect(!info.isCA)
        #expect(info.signatureAlgorithmOID == "1.2.840.113549.1.1.12")
        #expect(info.publicKey == PublicKeyDescription(algorithm: .rsa, bits: 2048, curve: nil))
        // String types: PrintableString for C, UTF8String for the rest; RDNs in the requested order.
        let subjectHex = Hex.encode(Array(try CertificateBytes.tbsFields(der)[5].encoded))
        #expect(subjectHex.contains("0603550406" + "1302" + Hex.encode(Array("DE".utf8))))
        #expect(subjectHex.contains("0603550403" + "0c0a" + Hex.encode(Array("ü.example".utf8))))
        #expect(subjectHex.range(of: "0603550406")!.lowerBound < subjectHex.range(of: "0603550403")!.lowerBound)
        // Validity: GeneralizedTime (tag 0x18) for both dates.
        let validity = try CertificateBytes.tbsFields(der)[4]
        #expect(validity.content.first == 0x18)
    }

    @Test(
        "a certificate the openssl CLI made (negative serial, PrintableStrings, a multi-valued RDN, otherName, directoryName and registeredID SANs) reads the same",
        arguments: EngineUnderTest.all)
    func cliCertificateReads(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let info = try backend.parseCertificate(der: TestVectors.opensslCLICertificate)
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
        let caKey = try backend.importPrivateKey(der: TestVectors.opensslCLIKey, format: .sec1, passphrase: nil)
        #expect(try backend.privateKey(caKey, matchesCertificate: TestVectors.opensslCLICertificate))
    }

    @Test(
        "a version 1 certificate with BMPString names reads as `openssl x509 -nameopt RFC2253,-esc_msb` prints it",
        arguments: EngineUnderTest.all)
    func version1BMPStringCertificateReads(engine: EngineUnderTest) throws {
        let info = try engine.backend.parseCertificate(der: TestVectors.bmpStringVersion1Certificate)
        #expect(info.subject == "CN=Ω\\+ test,OU=first,O=Zürich Ωmega,C=DE")
        #expect(info.version == 1)
        #expect(info.serialHex == "13e5ab2f34645f70363774eea6c50be8ed82365c")
        #expect(info.keyUsage == nil && info.extendedKeyUsage == nil && info.subjectAlternativeNames.isEmpty)
        #expect(!info.isCA && info.pathLengthConstraint == nil)
    }

    @Test(
        "an RSA key signs with the requested digest",
        arguments: EngineUnderTest.all, [DigestAlgorithm.sha256, .sha384, .sha512, .sha1])
    func rsaSignsWithTheRequestedDigest(engine: EngineUnderTest, digest: DigestAlgorithm) throws {
        let key = try engine.backend.importPrivateKey(der: TestVectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
        let certificate = try TestPKI(engine).custom(subject: "rsa", key: key, by: nil) {
            $0.extendedKeyUsage = []
            $0.digest = digest
        }
        let expected: [DigestAlgorithm: String] = [
            .sha1: "1.2.840.113549.1.1.5", .sha256: "1.2.840.113549.1.1.11", .sha384: "1.2.840.113549.1.1.12",
            .sha512: "1.2.840.113549.1.1.13",
        ]
        #expect(certificate.info.signatureAlgorithmOID == expected[digest])
    }

    @Test(
        "a certificate with an empty subject marks its SAN critical and says it is no CA",
        arguments: EngineUnderTest.all)
    func emptySubjectMakesTheSANCritical(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let request = CertificateRequest(
            subject: DistinguishedName([]), serialNumber: [1], notBefore: TestPKI.now,
            notAfter: TestPKI.now.addingTimeInterval(TestPKI.day),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: key),
            subjectAlternativeNames: [.dns("only.example")])
        let der = try backend.createCertificate(request, issuer: nil, signingKey: key)
        let info = try backend.parseCertificate(der: der)
        #expect(info.subject == "" && info.subjectAlternativeNames == [.dns("only.example")])
        #expect(!info.isCA && info.keyUsage == nil && info.extendedKeyUsage == nil)
        // subjectAltName OID, then BOOLEAN TRUE; basicConstraints is an empty SEQUENCE (cA FALSE).
        #expect(CertificateBytes.contains(der, [0x06, 0x03, 0x55, 0x1d, 0x11, 0x01, 0x01, 0xff]))
        #expect(
            CertificateBytes.contains(der, [0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff, 0x04, 0x02, 0x30, 0x00]))
    }

    @Test(
        "odd bytes in a SAN are read lossily and never crash: NUL and DEL kept, a byte that is not UTF-8 as U+FFFD",
        arguments: EngineUnderTest.all)
    func oddSANBytesAreReadLossily(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let request = CertificateRequest(
            subject: .commonName("odd"), serialNumber: [1], notBefore: TestPKI.now,
            notAfter: TestPKI.now.addingTimeInterval(TestPKI.day),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: key),
            subjectAlternativeNames: [.dns("aQbR"), .dns("cQdR.example"), .email("mQe@x")])
        var der = try backend.createCertificate(request, issuer: nil, signingKey: key)
        #expect(try backend.parseCertificate(der: der).subjectAlternativeNames == request.subjectAlternativeNames)
        // Patch the placeholders (the signature no longer matters for parsing).
        func set(_ replacements: [Int: UInt8], in placeholder: String) throws {
            let start = try #require(
                CertificateBytes.offset(of: Array(placeholder.utf8), in: der), "\(placeholder) not found")
            for (index, byte) in replacements { der[start + index] = byte }
        }
        try set([1: 0x00, 3: 0xff], in: "aQbR")
        try set([1: 0x00, 3: 0x7f], in: "cQdR")
        try set([1: 0xff], in: "mQe")
        #expect(
            try backend.parseCertificate(der: der).subjectAlternativeNames == [
                .dns("a\u{0}b\u{fffd}"), .dns("c\u{0}d\u{7f}.example"), .email("m\u{fffd}e@x"),
            ])
    }

    @Test(
        "a request whose serial is empty, negative, not minimal or past 20 octets is refused (the core's rule)",
        arguments: EngineUnderTest.all)
    func badSerialsAreRefused(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let key = try backend.generatePrivateKey(.ecdsaP256)
        var request = try CertificateRequest.minimal(for: key, on: backend)
        for serial: [UInt8] in [[0x01], [0x00, 0x80], [0x7f] + [UInt8](repeating: 0xff, count: 19)] {
            request.serialNumber = serial
            #expect(throws: Never.self, "serial \(serial)") {
                try backend.createCertificate(request, issuer: nil, signingKey: key)
            }
        }
        for serial: [UInt8] in [[], [0x80], [0x00, 0x01], [0x01] + [UInt8](repeating: 0, count: 20)] {
            request.serialNumber = serial
            #expect("serial \(serial)") {
                try backend.createCertificate(request, issuer: nil, signingKey: key)
            } throws: {
                ($0 as? PKIError)?.code == .invalidArgument
            }
        }
    }

    @Test(
        "a request with a name attribute that is no OID or a country that is not printable is refused",
        arguments: EngineUnderTest.all)
    func badNamesAreRefused(engine: EngineUnderTest) throws {
        let backend = engine.backend
        let key = try backend.generatePrivateKey(.ecdsaP256)
        var request = try CertificateRequest.minimal(for: key, on: backend)
        #expect(throws: Never.self) { try backend.createCertificate(request, issuer: nil, signingKey: key) }
        request.subject = DistinguishedName([.init(oid: "commonName", value: "x")])
        #expect(throws: PKIError.self) { try backend.createCertificate(request, issuer: nil, signingKey: key) }
        request.subject = DistinguishedName([.country("D\u{e9}")])
        #expect(throws: PKIError.self) { try backend.createCertificate(request, issuer: nil, signingKey: key) }
    }
}
