import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Certificate signing requests are made and read the same on every engine")
struct SigningRequestConformanceTests {
    static let template = SigningRequestTemplate(
        subject: DistinguishedName([.organization("Acme"), .commonName("db1.example.com")]),
        subjectAlternativeNames: [
            .dns("db1.example.com"), .ip(IPAddress("10.0.0.5")!), .ip(IPAddress("fd00::5")!),
        ])

    @Test(
        "a request made by one engine is read identically by both, its signature verifying",
        arguments: EngineUnderTest.all, [KeyType.ecdsaP256, .rsa2048, .ed25519])
    func requestReadIdenticallyByBoth(maker: EngineUnderTest, keyType: KeyType) throws {
        let key = try maker.backend.generatePrivateKey(keyType)
        let der = try maker.backend.createSigningRequest(Self.template, key: key)
        let readings = try EngineUnderTest.all.map { try $0.backend.parseSigningRequest(der: der) }
        for request in readings {
            #expect(request == readings[0])
            #expect(request.subject == "CN=db1.example.com,O=Acme")
            #expect(request.subjectPublicKeyInfo == (try maker.backend.publicKeyInfo(of: key)))
            #expect(request.publicKey == keyType.publicKeyDescription)
            #expect(request.requestedNames == Self.template.subjectAlternativeNames)
            #expect(!request.requestsCA)
            #expect(request.signatureVerifies)
            #expect(throws: Never.self) { try request.checkForLeaf() }
        }
    }

    @Test("a request for a CA says so on both engines, and is refused as a leaf", arguments: EngineUnderTest.all)
    func caRequestIsSeen(maker: EngineUnderTest) throws {
        let key = try maker.backend.generatePrivateKey(.ecdsaP256)
        let template = SigningRequestTemplate(subject: .commonName("Issuing CA 1"), requestsCA: true)
        let der = try maker.backend.createSigningRequest(template, key: key)
        for reader in EngineUnderTest.all {
            let request = try reader.backend.parseSigningRequest(der: der)
            #expect(request.requestsCA)
            #expect(request.requestedNames.isEmpty)
            let error = #expect(throws: PKIError.self) { try request.checkForLeaf() }
            #expect(error?.code == .invalidInput)
            #expect(error?.message.contains("CA") == true)
        }
    }

    @Test("a tampered request fails its signature check on both engines", arguments: EngineUnderTest.all)
    func tamperedRequestFailsSignature(maker: EngineUnderTest) throws {
        let key = try maker.backend.generatePrivateKey(.ecdsaP256)
        var der = try maker.backend.createSigningRequest(Self.template, key: key)
        // Change one letter of the requested DNS name (the last "db1.example.com"; the first is the CN): the structure stays valid, the signature does not.
        let name = Array("db1.example.com".utf8)
        let at = try #require(der.indices.last { Array(der[$0..<min($0 + name.count, der.count)]) == name })
        der[at] = UInt8(ascii: "x")
        for reader in EngineUnderTest.all {
            let request = try reader.backend.parseSigningRequest(der: der)
            #expect(request.requestedNames.first == .dns("xb1.example.com"))
            #expect(!request.signatureVerifies)
            let error = #expect(throws: PKIError.self) { try request.checkForLeaf() }
            #expect(error?.code == .invalidInput)
            #expect(error?.message.contains("signature") == true)
        }
    }

    @Test("a request for an RSA-1024 key is seen as weak on both engines", arguments: EngineUnderTest.pairs)
    func rsa1024IsWeak(pair: EnginePair) throws {
        let key = try pair.maker.backend.importPrivateKey(
            der: TestVectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
        let der = try pair.maker.backend.createSigningRequest(Self.template, key: key)
        let request = try pair.checker.backend.parseSigningRequest(der: der)
        #expect(request.publicKey == PublicKeyDescription(algorithm: .rsa, bits: 1024, curve: nil))
        let error = #expect(throws: PKIError.self) { try request.checkForLeaf() }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("weaker than RSA-2048 or P-256") == true)
    }

    @Test(
        "a request for a P-192 key (made by openssl req) is seen as weak on both engines",
        arguments: EngineUnderTest.all)
    func p192IsWeak(reader: EngineUnderTest) throws {
        let request = try reader.backend.parseSigningRequest(der: TestVectors.p192Request)
        #expect(request.publicKey == PublicKeyDescription(algorithm: .ec, bits: 192, curve: "P-192"))
        #expect(request.requestedNames == [.dns("weak.example.com")])
        #expect(request.subject == "CN=weak p192")
        let error = #expect(throws: PKIError.self) { try request.checkForLeaf() }
        #expect(error?.message.contains("weaker than RSA-2048 or P-256") == true)
    }

    @Test("a P-224 certificate's key is named P-224 by both engines (OpenSSL gave the curve's OID)")
    func p224IsNamedAlike() throws {
        let der = try CertificateDecoder.certificates(from: TestData.bytes("audit/ec-p224.crt"))[0]
        for reader in EngineUnderTest.all {
            #expect(
                try reader.backend.parseCertificate(der: der).publicKey
                    == PublicKeyDescription(algorithm: .ec, bits: 224, curve: "P-224"), "\(reader.testDescription)")
        }
    }

    @Test(
        "a certificate, garbage or a truncated request is not a request on either engine",
        arguments: EngineUnderTest.all)
    func notARequest(reader: EngineUnderTest) throws {
        let key = try reader.backend.generatePrivateKey(.ecdsaP256)
        let der = try reader.backend.createSigningRequest(Self.template, key: key)
        for bad in [Array(der.dropLast(3)), Array("not a request".utf8), der + [0]] {
            let error = #expect(throws: PKIError.self) { try reader.backend.parseSigningRequest(der: bad) }
            #expect(error?.code == .invalidInput)
        }
    }

    @Test("a request in PEM, under either label, or DER decodes to the same DER")
    func pemAndDERInput() throws {
        let der = TestVectors.p192Request
        for label in ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"] {
            let pem = Array(PEM.encode(label: label, der: der).utf8)
            #expect(try CertificateDecoder.signingRequest(from: pem) == der)
        }
        #expect(try CertificateDecoder.signingRequest(from: der) == der)
        let certificatePEM = Array(PEM.encode(label: "CERTIFICATE", der: der).utf8)
        #expect(throws: PKIError.self) { try CertificateDecoder.signingRequest(from: certificatePEM) }
        let two = Array(
            (PEM.encode(label: "CERTIFICATE REQUEST", der: der) + PEM.encode(label: "CERTIFICATE REQUEST", der: der))
                .utf8)
        #expect(throws: PKIError.self) { try CertificateDecoder.signingRequest(from: two) }
    }

    @Test(
        "a leaf signed from a request carries the request's key and the profile's names, read alike by both engines",
        arguments: EngineUnderTest.pairs)
    func leafFromRequest(pair: EnginePair) throws {
        let root = try pair.maker.backend.generatePrivateKey(.ecdsaP256)
        let issuer = CertificateIssuer(backend: pair.maker.backend)
        let caDER = try issuer.issue(.rootCA(name: "Request CA"), subjectKey: root, authority: nil)
        let authority = try SigningAuthority(certificate: caDER, key: root, backend: pair.maker.backend)
        let hostKey = try pair.checker.backend.generatePrivateKey(.rsa2048)
        let request = try pair.checker.backend.parseSigningRequest(
            der: pair.checker.backend.createSigningRequest(Self.template, key: hostKey))
        let profile = CertificateProfile.server(name: "db1", dns: ["db1.internal"], ips: [])
        let leaf = try issuer.issue(
            profile, subjectPublicKeyInfo: request.subjectPublicKeyInfo, keyDescription: request.publicKey,
            authority: authority)
        for reader in EngineUnderTest.all {
            let info = try reader.backend.parseCertificate(der: leaf)
            #expect(try reader.backend.privateKey(hostKey, matchesCertificate: leaf))
            #expect(info.subject == "CN=db1")
            #expect(info.subjectAlternativeNames == [.dns("db1.internal")])
            #expect(info.keyUsage == [.digitalSignature, .keyEncipherment])
            #expect(info.extendedKeyUsage == [ExtendedKeyUsage.serverAuth])
            #expect(info.publicKey == KeyType.rsa2048.publicKeyDescription)
        }
    }

    @Test(
        "a signed request is recorded with its key held elsewhere, and renewing certifies the same key",
        arguments: EngineUnderTest.all)
    func storeSignAndRenew(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let backend = engine.backend
        let store = try PKIStore(pki.directory, backend: backend, clock: { TestPKI.now }, options: .init(create: true))
        try store.createCA(name: "Request CA", keyType: .ecdsaP256, days: 3650)
        let hostKey = try backend.generatePrivateKey(.ecdsaP256)
        let request = try backend.parseSigningRequest(
            der: backend.createSigningRequest(SigningRequestTemplate(subject: .commonName("ignored")), key: hostKey))
        let info = try store.sign(
            request, name: "db1", profile: .server(name: "db1", dns: ["db1.example.com"], ips: []))
        #expect(info.subject == "CN=db1")
        let record = try #require(try store.inventory.current(name: "db1"))
        #expect(record.keyHeldElsewhere && record.keyPath == nil)
        #expect(try store.doctor().isEmpty)
        try store.issue(name: "app", profile: .client(name: "app"), keyType: .ecdsaP256)
        let mixed = #expect(throws: PKIError.self) {
            try store.renewExpiring(within: 5 * 365 * 86_400, days: 3000, keyType: .rsa2048)
        }
        #expect(mixed?.message.contains("db1 was signed from a request") == true, "\(String(describing: mixed))")
        #expect(try store.inventory.all().filter { $0.status == .superseded }.isEmpty)  // app was not renewed either
        let renewal = try store.renew(name: "db1")
        #expect(renewal.reusedKey)
        #expect(try backend.privateKey(hostKey, matchesCertificate: renewal.certificate.der))
        #expect(try store.inventory.current(name: "db1")?.keyHeldElsewhere == true)
        #expect(!FileManager.default.fileExists(atPath: pki.directory.keyPath(of: "db1")))
        let error = #expect(throws: PKIError.self) { try store.checkedIssued("db1", key: true) }
        #expect(error?.message.contains("held on its own host") == true)
        let again = #expect(throws: PKIError.self) {
            try store.sign(request, name: "db1", profile: .server(name: "db1", dns: ["db1.example.com"], ips: []))
        }
        #expect(again?.code == .alreadyExists)
    }

    @Test(
        "a PKI started with a CA request waits for its certificate: it keeps the key, and issues nothing",
        arguments: EngineUnderTest.all)
    func pendingCA(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let store = try PKIStore(
            pki.directory, backend: engine.backend, clock: { TestPKI.now }, options: .init(create: true))
        let der = try store.createPendingCA(
            name: "Issuing CA 1", keyType: .ecdsaP384, under: DistinguishedName([.organization("Acme")]))
        for reader in EngineUnderTest.all {
            let request = try reader.backend.parseSigningRequest(der: der)
            #expect(request.requestsCA && request.signatureVerifies)
            #expect(request.subject == "CN=Issuing CA 1,O=Acme")
            #expect(request.publicKey == KeyType.ecdsaP384.publicKeyDescription)
        }
        #expect(try store.inventory.pendingCARequest() == PKIStore.pendingRequestFile)
        let error = #expect(throws: PKIError.self) {
            try store.issue(name: "db1", profile: .client(name: "db1"), keyType: .ecdsaP256)
        }
        #expect(error?.remedy?.action == .importCACertificate, "\(String(describing: error))")
        #expect(try store.inventory.all().isEmpty)
        #expect(try store.doctor().isEmpty)
        let again = #expect(throws: PKIError.self) { try store.createPendingCA(name: "Again", keyType: .ecdsaP256) }
        #expect(again?.code == .alreadyExists)
    }
}
