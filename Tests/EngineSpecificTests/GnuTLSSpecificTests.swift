import DBPKI
import DBPKIGnuTLS
import DBPKITestSupport
import Foundation
import Testing

/// A small PKI made with the GnuTLS engine: root, intermediate, server leaf.
private struct GnuTLSTestPKI {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)  // June 2025
    let backend = GnuTLSBackend()
    let issuer: CertificateIssuer
    let rootKey: PrivateKey
    let root: SigningAuthority
    let intermediateKey: PrivateKey
    let intermediate: SigningAuthority
    let leafKey: PrivateKey
    let leaf: [UInt8]

    init(rootType: KeyType = .ecdsaP256, intermediatePathLength: Int? = 0) throws {
        issuer = CertificateIssuer(backend: backend, now: { GnuTLSTestPKI.now })
        rootKey = try backend.generatePrivateKey(rootType)
        let rootDER = try issuer.issue(.rootCA(name: "Test Root"), subjectKey: rootKey, authority: nil)
        root = try SigningAuthority(certificate: rootDER, key: rootKey, backend: backend)
        intermediateKey = try backend.generatePrivateKey(.ecdsaP384)
        let intermediateDER = try issuer.issue(
            .intermediateCA(name: "Test Intermediate", pathLength: intermediatePathLength), subjectKey: intermediateKey,
            authority: root)
        intermediate = try SigningAuthority(certificate: intermediateDER, key: intermediateKey, backend: backend)
        leafKey = try backend.generatePrivateKey(.ed25519)
        leaf = try issuer.issue(
            .server(
                name: "db.example.com", dns: ["db.example.com", "*.db.example.com"], ips: [IPAddress("192.0.2.7")!]),
            subjectKey: leafKey, authority: intermediate)
    }

    func verify(
        _ leaf: [UInt8]? = nil, intermediates: [[UInt8]]? = nil, anchors: [[UInt8]]? = nil, crls: [[UInt8]] = [],
        time: Date = GnuTLSTestPKI.now, purpose: VerificationPolicy.Purpose? = .server,
        peer: VerificationPolicy.PeerIdentity? = nil, maxIntermediates: Int? = nil
    ) throws -> VerificationResult {
        try backend.verify(
            VerificationRequest(
                leaf: leaf ?? self.leaf, intermediates: intermediates ?? [intermediate.certificate],
                trustAnchors: anchors ?? [root.certificate], crls: crls,
                policy: VerificationPolicy(time: time, purpose: purpose, peer: peer, maxIntermediates: maxIntermediates)
            ))
    }
}

/// The fields of a certificate's TBSCertificate that the tests look at, read with the core's DER reader.
private func tbsFields(_ der: [UInt8]) throws -> [DERReader.Element] {
    var outer = DERReader(der[...])
    var certificate = DERReader(try outer.read(tag: 0x30).content)
    var tbs = DERReader(try certificate.read(tag: 0x30).content)
    var fields = [DERReader.Element]()
    while !tbs.isAtEnd { fields.append(try tbs.read()) }
    return fields
}

private func code(of body: () throws -> some Any) -> PKIError.Code? {
    do {
        _ = try body()
        return nil
    } catch let error as PKIError {
        return error.code
    } catch {
        return nil
    }
}

@Suite("GnuTLS engine")
struct GnuTLSSpecificTests {
    let backend = GnuTLSBackend()

    @Test func reportsItsVersion() {
        #expect(backend.libraryVersion.hasPrefix("GnuTLS 3."))
        #expect(backend.engine == .gnutls)
    }

    @Test func digestsMatchKnownValues() throws {
        #expect(
            Hex.encode(try backend.digest(.sha256, Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try backend.digest(.sha1, []).count == 20)
        #expect(try backend.digest(.sha384, []).count == 48)
        #expect(try backend.digest(.sha512, []).count == 64)
    }

    @Test(arguments: KeyType.allCases)
    func generatesEveryKeyType(_ type: KeyType) throws {
        let key = try backend.generatePrivateKey(type)
        #expect(key.publicKeyDescription == type.publicKeyDescription)
        let again = try backend.importPrivateKey(der: key.pkcs8DER, format: .pkcs8, passphrase: nil)
        #expect(again.pkcs8DER == key.pkcs8DER)
        #expect(again.publicKeyDescription == type.publicKeyDescription)
        let spki = try backend.publicKeyInfo(of: key)
        #expect(DERReader.isSingleSequence(spki))
        #expect(key.description.hasSuffix("redacted)"))
    }

    @Test func encryptedKeysRoundTripAndRefuseWrongPassphrases() throws {
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let encrypted = try backend.exportEncryptedPrivateKey(key, passphrase: "correct horse")
        #expect(encrypted != key.pkcs8DER)
        let decrypted = try backend.importPrivateKey(
            der: encrypted, format: .encryptedPKCS8, passphrase: "correct horse")
        #expect(decrypted.pkcs8DER == key.pkcs8DER)
        #expect(
            code { try backend.importPrivateKey(der: encrypted, format: .encryptedPKCS8, passphrase: "wrong") }
                == .badPassphrase)
        #expect(
            code { try backend.importPrivateKey(der: encrypted, format: .encryptedPKCS8, passphrase: nil) }
                == .badPassphrase)
        // The encryption is PBES2 (OID 1.2.840.113549.1.5.13) with AES-256-CBC (2.16.840.1.101.3.4.1.42).
        let text = Hex.encode(encrypted)
        #expect(text.contains("06092a864886f70d01050d"))
        #expect(text.contains("060960864801650304012a"))
    }

    @Test func garbageKeysAreInvalidInput() {
        for format in PrivateKeyFormat.allCases {
            #expect(
                code {
                    try backend.importPrivateKey(der: [0x30, 0x03, 0x02, 0x01, 0x00], format: format, passphrase: "x")
                }
                    == .invalidInput)
            #expect(
                code { try backend.importPrivateKey(der: [1, 2, 3], format: format, passphrase: "x") } == .invalidInput)
        }
    }

    @Test func importsPKCS1AndSEC1Keys() throws {
        // PKCS#8's privateKey OCTET STRING holds the PKCS#1 RSAPrivateKey for RSA.
        func inner(_ pkcs8: [UInt8]) throws -> [UInt8] {
            var outer = DERReader(pkcs8[...])
            var info = DERReader(try outer.read(tag: 0x30).content)
            _ = try info.read(tag: 0x02)
            _ = try info.read(tag: 0x30)
            return Array(try info.read(tag: 0x04).content)
        }
        let rsa = try backend.generatePrivateKey(.rsa2048)
        let pkcs1 = try inner(rsa.pkcs8DER)
        #expect(try backend.importPrivateKey(der: pkcs1, format: .pkcs1, passphrase: nil).pkcs8DER == rsa.pkcs8DER)
        #expect(code { try backend.importPrivateKey(der: pkcs1, format: .sec1, passphrase: nil) } == .invalidInput)
        let ec = try backend.generatePrivateKey(.ecdsaP384)
        let sec1 = try inner(ec.pkcs8DER)
        let imported = try backend.importPrivateKey(der: sec1, format: .sec1, passphrase: nil)
        #expect(try backend.publicKeyInfo(of: imported) == backend.publicKeyInfo(of: ec))
        #expect(code { try backend.importPrivateKey(der: sec1, format: .pkcs1, passphrase: nil) } == .invalidInput)
        #expect(code { try backend.importPrivateKey(der: pkcs1, format: .pkcs8, passphrase: nil) } == .invalidInput)
    }

    @Test func issuesAndParsesAChain() throws {
        let pki = try GnuTLSTestPKI()
        let root = try backend.parseCertificate(der: pki.root.certificate)
        #expect(root.version == 3)
        #expect(root.subject == "CN=Test Root")
        #expect(root.isSelfIssued)
        #expect(root.isCA && root.pathLengthConstraint == nil)
        #expect(root.keyUsage == [.keyCertSign, .cRLSign, .digitalSignature])
        #expect(root.extendedKeyUsage == nil)
        #expect(root.subjectKeyIdentifier != nil && root.authorityKeyIdentifier == root.subjectKeyIdentifier)
        #expect(root.signatureAlgorithmOID == "1.2.840.10045.4.3.2")
        #expect(root.publicKey == PublicKeyDescription(algorithm: .ec, bits: 256, curve: "P-256"))
        #expect(root.notBefore == GnuTLSTestPKI.now.addingTimeInterval(-60))

        let intermediate = try backend.parseCertificate(der: pki.intermediate.certificate)
        #expect(intermediate.issuer == "CN=Test Root")
        #expect(intermediate.isCA && intermediate.pathLengthConstraint == 0)
        #expect(intermediate.authorityKeyIdentifier == root.subjectKeyIdentifier)
        #expect(intermediate.publicKey.curve == "P-384")

        let leaf = try backend.parseCertificate(der: pki.leaf)
        #expect(leaf.subject == "CN=db.example.com")
        #expect(leaf.issuer == "CN=Test Intermediate")
        #expect(
            leaf.subjectAlternativeNames == [
                .dns("db.example.com"), .dns("*.db.example.com"), .ip(IPAddress("192.0.2.7")!),
            ])
        #expect(!leaf.isCA && leaf.pathLengthConstraint == nil)
        #expect(leaf.keyUsage == [.digitalSignature])
        #expect(leaf.extendedKeyUsage == [ExtendedKeyUsage.serverAuth])
        #expect(leaf.publicKey == PublicKeyDescription(algorithm: .ed25519, bits: 256, curve: nil))
        #expect(
            leaf.signatureAlgorithmOID == "1.2.840.10045.4.3.3" || leaf.signatureAlgorithmOID == "1.2.840.10045.4.3.2")
        #expect(leaf.serialNumber.count >= 16 && leaf.serialNumber.count <= 17)
        #expect(leaf.fingerprintSHA256 == (try backend.digest(.sha256, pki.leaf)))
        #expect(try backend.privateKey(pki.leafKey, matchesCertificate: pki.leaf))
        #expect(try !backend.privateKey(pki.rootKey, matchesCertificate: pki.leaf))

        // The issuer name is the issuer's subject, byte for byte (TBS fields: [0] version, serial, sigAlg, issuer,
        // validity, subject).
        #expect(try tbsFields(pki.leaf)[3].encoded == tbsFields(pki.intermediate.certificate)[5].encoded)
        #expect(try tbsFields(pki.root.certificate)[3].encoded == tbsFields(pki.root.certificate)[5].encoded)
    }

    @Test func writesExactlyTheRequestedFields() throws {
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
        let subjectHex = Hex.encode(Array(try tbsFields(der)[5].encoded))
        #expect(subjectHex.contains("0603550406" + "1302" + Hex.encode(Array("DE".utf8))))
        #expect(subjectHex.contains("0603550403" + "0c0a" + Hex.encode(Array("ü.example".utf8))))
        #expect(subjectHex.range(of: "0603550406")!.lowerBound < subjectHex.range(of: "0603550403")!.lowerBound)
        // Validity: GeneralizedTime (tag 0x18) for both dates.
        let validity = try tbsFields(der)[4]
        #expect(validity.content.first == 0x18)
    }

    @Test func emptySubjectMakesTheSANCritical() throws {
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let request = CertificateRequest(
            subject: DistinguishedName([]), serialNumber: [1], notBefore: GnuTLSTestPKI.now,
            notAfter: GnuTLSTestPKI.now.addingTimeInterval(86_400),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: key),
            subjectAlternativeNames: [.dns("only.example")])
        let der = try backend.createCertificate(request, issuer: nil, signingKey: key)
        let info = try backend.parseCertificate(der: der)
        #expect(info.subject == "")
        #expect(info.subjectAlternativeNames == [.dns("only.example")])
        // 2.5.29.17, critical TRUE.
        #expect(Hex.encode(der).contains("0603551d110101ff"))
    }

    @Test func readsBMPStringsAndVersion1Certificates() throws {
        // Made with `openssl req -x509` and `string_mask = default`: O and CN are BMPStrings, C and OU
        // PrintableStrings; no extensions, so OpenSSL wrote version 1.
        let base64 = [
            "MIIBrTCCAVMCFBPlqy80ZF9wNjd07qbFC+jtgjZcMAoGCCqGSM49BAMCMFkxCzAJBgNVBAYTAkRFMSEwHwYDVQQKHhgAWgD8",
            "AHIAaQBjAGgAIAOpAG0AZQBnAGExDjAMBgNVBAsTBWZpcnN0MRcwFQYDVQQDHg4DqQArACAAdABlAHMAdDAeFw0yNjExMjUy",
            "MjE2NTVaFw0yNjExMjYyMjE2NTVaMFkxCzAJBgNVBAYTAkRFMSEwHwYDVQQKHhgAWgD8AHIAaQBjAGgAIAOpAG0AZQBnAGEx",
            "DjAMBgNVBAsTBWZpcnN0MRcwFQYDVQQDHg4DqQArACAAdABlAHMAdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABOzJGB7o",
            "LRnfM0rQGy2aNMjWe64GuhnSlAlBv/GWC054LuCa2VcfhsJZw1OMBouomh06rJ75PliZ+WA68RRN77EwCgYIKoZIzj0EAwID",
            "SAAwRQIhAPEv6Zib2qDTWnUIV5WE07XQCFjd5u0pJK2VJKWKy60GAiARbuuwgaLiMsvnHVxjB78f7eGo572zIL2v8IdMnXR2",
            "oA==",
        ].joined()
        let der = Array(try #require(Data(base64Encoded: base64)))
        let info = try backend.parseCertificate(der: der)
        // `openssl x509 -nameopt RFC2253,-esc_msb` prints the same.
        #expect(info.subject == "CN=Ω\\+ test,OU=first,O=Zürich Ωmega,C=DE")
        #expect(info.version == 1)
        #expect(info.serialHex == "13e5ab2f34645f70363774eea6c50be8ed82365c")
        #expect(info.keyUsage == nil && info.extendedKeyUsage == nil && info.subjectAlternativeNames.isEmpty)
        #expect(!info.isCA && info.pathLengthConstraint == nil)
    }

    @Test func decodesOddSANBytesLossily() throws {
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let request = CertificateRequest(
            subject: .commonName("x"), serialNumber: [1], notBefore: GnuTLSTestPKI.now,
            notAfter: GnuTLSTestPKI.now.addingTimeInterval(86_400),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: key),
            subjectAlternativeNames: [.dns("aQb.example"), .email("mQe@x")])
        var der = try backend.createCertificate(request, issuer: nil, signingKey: key)
        // Patch the placeholders: a NUL into the dNSName, a byte that is not UTF-8 into the rfc822Name.
        func offset(of text: String) throws -> Int {
            let needle = Array(text.utf8)
            let start = try #require(
                der.indices.first { der[$0...].starts(with: needle) }, "\(text) not found")
            return start + 1
        }
        der[try offset(of: "aQb")] = 0
        der[try offset(of: "mQe")] = 0xff
        let info = try backend.parseCertificate(der: der)
        #expect(info.subjectAlternativeNames == [.dns("a\u{0}b.example"), .email("m\u{fffd}e@x")])
    }

    @Test func refusesTrailingBytesAndGarbage() throws {
        let pki = try GnuTLSTestPKI()
        #expect(code { try backend.parseCertificate(der: pki.leaf + [0]) } == .invalidInput)
        #expect(code { try backend.parseCertificate(der: Array(pki.leaf.dropLast())) } == .invalidInput)
        #expect(code { try backend.parseCertificate(der: [0x30, 0x00]) } == .invalidInput)
        #expect(
            code { try backend.verify(VerificationRequest(leaf: [1], trustAnchors: [], policy: .init())) }
                == .invalidInput)
    }

    @Test func verifiesAGoodChainWithASpareIntermediateInThePool() throws {
        let pki = try GnuTLSTestPKI()
        let other = try GnuTLSTestPKI()
        let pool = [other.intermediate.certificate, pki.root.certificate, pki.intermediate.certificate]
        let result = try pki.verify(intermediates: pool, peer: .dns("db.example.com"))
        #expect(result.isValid, "\(result.failures)")
        #expect(result.engine == .gnutls)
        #expect(try pki.verify(peer: .dns("x.db.example.com")).isValid)
        #expect(try pki.verify(peer: .ip(IPAddress("192.0.2.7")!)).isValid)
        #expect(try pki.verify(purpose: nil).isValid)
        // A trust anchor verifies against itself.
        #expect(try pki.verify(pki.root.certificate, intermediates: [], purpose: nil).isValid)
    }

    @Test func triesAnotherPathWhenTheFirstFails() throws {
        let pki = try GnuTLSTestPKI()
        // The same intermediate (name and key) issued twice; the first copy in the pool has expired.
        let expiredIssuer = CertificateIssuer(
            backend: backend, now: { GnuTLSTestPKI.now.addingTimeInterval(-400 * 86_400) })
        let expired = try expiredIssuer.issue(
            .intermediateCA(name: "Test Intermediate", days: 30), subjectKey: pki.intermediateKey, authority: pki.root)
        let result = try pki.verify(intermediates: [expired, pki.intermediate.certificate])
        #expect(result.isValid, "\(result.failures)")
        #expect(try pki.verify(intermediates: [expired]).reasons == [.expired])
    }

    @Test func reportsExpiryAndNotYetValid() throws {
        let pki = try GnuTLSTestPKI()
        let late = try pki.verify(time: GnuTLSTestPKI.now.addingTimeInterval(900 * 86_400))
        #expect(late.reasons.contains(.expired))
        let early = try pki.verify(time: GnuTLSTestPKI.now.addingTimeInterval(-86_400))
        #expect(early.reasons.contains(.notYetValid))
        // A trust anchor's own dates are checked like any certificate's.
        let rootOnly = try pki.verify(
            pki.root.certificate, intermediates: [], time: GnuTLSTestPKI.now.addingTimeInterval(-86_400), purpose: nil)
        #expect(rootOnly.reasons == [.notYetValid], "\(rootOnly.failures)")
    }

    @Test func matchesNamesOnlyAgainstSANs() throws {
        let pki = try GnuTLSTestPKI()
        #expect(try pki.verify(peer: .dns("other.example.com")).reasons == [.hostnameMismatch])
        #expect(try pki.verify(peer: .dns("a.b.db.example.com")).reasons == [.hostnameMismatch])
        #expect(try pki.verify(peer: .ip(IPAddress("192.0.2.8")!)).reasons == [.ipMismatch])
        #expect(try pki.verify(peer: .dns("192.0.2.7")).reasons == [.hostnameMismatch])
        // A leaf without SANs is not matched by its CN.
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let cnOnly = try pki.issuer.issue(.client(name: "cn.example.com"), subjectKey: key, authority: pki.intermediate)
        let result = try pki.verify(cnOnly, purpose: .client, peer: .dns("cn.example.com"))
        #expect(result.reasons == [.hostnameMismatch])
    }

    @Test func checksThePurpose() throws {
        let pki = try GnuTLSTestPKI()
        #expect(try pki.verify(purpose: .client).reasons == [.purposeMismatch])
    }

    @Test func refusesANonCAIssuer() throws {
        let pki = try GnuTLSTestPKI()
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let request = CertificateRequest(
            subject: .commonName("under.leaf"), serialNumber: [7], notBefore: GnuTLSTestPKI.now,
            notAfter: GnuTLSTestPKI.now.addingTimeInterval(86_400),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: key),
            subjectAlternativeNames: [.dns("under.leaf")])
        let der = try backend.createCertificate(request, issuer: pki.leaf, signingKey: pki.leafKey)
        #expect(try backend.parseCertificate(der: der).issuer == "CN=db.example.com")
        let result = try pki.verify(der, intermediates: [pki.leaf, pki.intermediate.certificate], purpose: nil)
        #expect(result.reasons.contains(.notCA), "\(result.failures)")
    }

    @Test func refusesACAWhoseKeyUsageLacksKeyCertSign() throws {
        let pki = try GnuTLSTestPKI()
        let caKey = try backend.generatePrivateKey(.ecdsaP256)
        let request = CertificateRequest(
            subject: .commonName("No Sign CA"), serialNumber: [3], notBefore: GnuTLSTestPKI.now,
            notAfter: GnuTLSTestPKI.now.addingTimeInterval(86_400),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: caKey), isCA: true, keyUsage: [.digitalSignature],
            subjectKeyIdentifier: [1, 2, 3], authorityKeyIdentifier: pki.root.info.subjectKeyIdentifier)
        let ca = try backend.createCertificate(request, issuer: pki.root.certificate, signingKey: pki.rootKey)
        let leafKey = try backend.generatePrivateKey(.ecdsaP256)
        let leafRequest = CertificateRequest(
            subject: .commonName("leaf"), serialNumber: [4], notBefore: GnuTLSTestPKI.now,
            notAfter: GnuTLSTestPKI.now.addingTimeInterval(86_400),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: leafKey), subjectAlternativeNames: [.dns("leaf")],
            authorityKeyIdentifier: [1, 2, 3])
        let leaf = try backend.createCertificate(leafRequest, issuer: ca, signingKey: caKey)
        let result = try pki.verify(leaf, intermediates: [ca])
        #expect(result.reasons == [.notCA], "\(result.failures)")
    }

    @Test func honoursPathLengthAndTheIntermediateLimit() throws {
        let pki = try GnuTLSTestPKI(intermediatePathLength: 0)
        let subKey = try backend.generatePrivateKey(.ecdsaP256)
        let subDER = try pki.issuer.issue(
            .intermediateCA(name: "Sub CA"), subjectKey: subKey, authority: pki.intermediate)
        let sub = try SigningAuthority(certificate: subDER, key: subKey, backend: backend)
        let leafKey = try backend.generatePrivateKey(.ecdsaP256)
        let leaf = try pki.issuer.issue(
            .server(name: "deep", dns: ["deep.example"], ips: []), subjectKey: leafKey, authority: sub)
        let result = try pki.verify(leaf, intermediates: [subDER, pki.intermediate.certificate])
        #expect(result.reasons == [.pathLengthExceeded], "\(result.failures)")

        let open = try GnuTLSTestPKI(intermediatePathLength: nil)
        let openSubDER = try open.issuer.issue(
            .intermediateCA(name: "Sub CA"), subjectKey: subKey, authority: open.intermediate)
        let openSub = try SigningAuthority(certificate: openSubDER, key: subKey, backend: backend)
        let openLeaf = try open.issuer.issue(
            .server(name: "deep", dns: ["deep.example"], ips: []), subjectKey: leafKey, authority: openSub)
        let pool = [openSubDER, open.intermediate.certificate]
        #expect(try open.verify(openLeaf, intermediates: pool).isValid)
        #expect(try open.verify(openLeaf, intermediates: pool, maxIntermediates: 1).reasons == [.pathLengthExceeded])
        #expect(try open.verify(openLeaf, intermediates: pool, maxIntermediates: 2).isValid)
    }

    @Test func reportsUntrustedAndTamperedCertificates() throws {
        let pki = try GnuTLSTestPKI()
        let other = try GnuTLSTestPKI()
        #expect(try pki.verify(anchors: [other.root.certificate]).reasons == [.untrusted])
        #expect(try pki.verify(intermediates: []).reasons == [.untrusted])
        #expect(try pki.verify(anchors: []).reasons == [.untrusted])
        var tampered = pki.leaf
        tampered[tampered.count - 5] ^= 0x01
        #expect(try pki.verify(tampered).reasons == [.badSignature])
    }

    @Test func rejectsSHA1SignaturesUnderTheProfile() throws {
        let pki = try GnuTLSTestPKI(rootType: .rsa2048)
        let key = try backend.generatePrivateKey(.rsa2048)
        let request = CertificateRequest(
            subject: .commonName("Weak CA"), serialNumber: [9], notBefore: GnuTLSTestPKI.now,
            notAfter: GnuTLSTestPKI.now.addingTimeInterval(86_400),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: key),
            isCA: true, keyUsage: [.keyCertSign, .cRLSign], digest: .sha1)
        let weak = try backend.createCertificate(request, issuer: pki.root.certificate, signingKey: pki.rootKey)
        #expect(try backend.parseCertificate(der: weak).signatureAlgorithmOID == "1.2.840.113549.1.1.5")
        let result = try pki.verify(weak, intermediates: [], purpose: nil)
        #expect(result.reasons == [.insecureAlgorithm], "\(result.failures)")
    }

    @Test func createsParsesAndAppliesCRLs() throws {
        let pki = try GnuTLSTestPKI()
        let leafInfo = try backend.parseCertificate(der: pki.leaf)
        let revokedAt = GnuTLSTestPKI.now.addingTimeInterval(-3600)
        let crlRequest = CRLRequest(
            thisUpdate: GnuTLSTestPKI.now.addingTimeInterval(-7200),
            nextUpdate: GnuTLSTestPKI.now.addingTimeInterval(86_400),
            crlNumber: [0x01, 0x00],
            revoked: [RevokedCertificate(serialNumber: leafInfo.serialNumber, revocationDate: revokedAt)],
            authorityKeyIdentifier: pki.intermediate.info.subjectKeyIdentifier, digest: .sha384)
        let crl = try backend.createCRL(
            crlRequest, issuer: pki.intermediate.certificate, signingKey: pki.intermediateKey)
        let info = try backend.parseCRL(der: crl)
        #expect(info.issuer == "CN=Test Intermediate")
        #expect(info.thisUpdate == crlRequest.thisUpdate)
        #expect(info.nextUpdate == crlRequest.nextUpdate)
        #expect(info.crlNumber == [0x01, 0x00])
        #expect(info.revoked == [RevokedCertificate(serialNumber: leafInfo.serialNumber, revocationDate: revokedAt)])
        #expect(info.signatureAlgorithmOID == "1.2.840.10045.4.3.3")
        #expect(code { try backend.parseCRL(der: crl + [0, 0]) } == .invalidInput)

        let revoked = try pki.verify(crls: [crl])
        #expect(revoked.reasons == [.revoked], "\(revoked.failures)")
        #expect(revoked.failures.first?.depth == 0)
        // Revocation is reported together with other failures.
        #expect(Set(try pki.verify(crls: [crl], peer: .dns("nope.example")).reasons) == [.revoked, .hostnameMismatch])

        // An empty CRL from the root: the intermediate is checked and fine; the leaf's issuer has no CRL.
        let empty = CRLRequest(
            thisUpdate: GnuTLSTestPKI.now.addingTimeInterval(-60),
            nextUpdate: GnuTLSTestPKI.now.addingTimeInterval(86_400),
            crlNumber: [1], revoked: [], authorityKeyIdentifier: pki.root.info.subjectKeyIdentifier)
        let rootCRL = try backend.createCRL(empty, issuer: pki.root.certificate, signingKey: pki.rootKey)
        #expect(try backend.parseCRL(der: rootCRL).revoked.isEmpty)
        #expect(try pki.verify(crls: [rootCRL]).isValid)
        // Later than nextUpdate the CRL is unusable.
        let stale = try pki.verify(crls: [rootCRL], time: GnuTLSTestPKI.now.addingTimeInterval(2 * 86_400))
        #expect(stale.reasons == [.invalidCRL])
        // A CRL claiming to be the intermediate's but signed by another key is unusable.
        let forged = try backend.createCRL(crlRequest, issuer: pki.intermediate.certificate, signingKey: pki.rootKey)
        #expect(try pki.verify(crls: [forged]).reasons == [.invalidCRL])
    }

    @Test func refusesReasonCodesItCannotWrite() throws {
        let pki = try GnuTLSTestPKI()
        let request = CRLRequest(
            thisUpdate: GnuTLSTestPKI.now, nextUpdate: GnuTLSTestPKI.now.addingTimeInterval(86_400), crlNumber: [2],
            revoked: [RevokedCertificate(serialNumber: [5], revocationDate: GnuTLSTestPKI.now, reason: .keyCompromise)],
            authorityKeyIdentifier: nil)
        #expect(
            code { try backend.createCRL(request, issuer: pki.root.certificate, signingKey: pki.rootKey) }
                == .unsupported)
    }

    @Test func verificationIsSafeFromManyThreads() async throws {
        let pki = try GnuTLSTestPKI()
        let late = GnuTLSTestPKI.now.addingTimeInterval(900 * 86_400)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let expired = index % 2 == 0
                    let result = try pki.verify(time: expired ? late : GnuTLSTestPKI.now)
                    return result.isValid != expired
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
