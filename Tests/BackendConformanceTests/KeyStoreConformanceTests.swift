import DBPKI
import DBPKITestSupport
import Foundation
import Testing

/// How a test PKI keeps its CA key.
enum CAKeyProtection: String, CaseIterable, CustomStringConvertible, Sendable {
    case plain, encrypted

    var keyStore: KeyStore {
        switch self {
        case .plain: .plainFiles
        case .encrypted: KeyStore(newKeys: .encrypted, password: PasswordSource(try! Password("correct horse")))
        }
    }

    var description: String { rawValue }
}

@Suite(
    "A PKI whose CA key is encrypted signs the same kind of certificates and CRLs as one whose key is plain, with either engine making the key and either signing"
)
struct KeyStoreConformanceTests {
    /// What a certificate is, apart from what differs per key and per draw (serial, keys,
    /// key identifiers, signature bytes).
    struct Shape: Equatable {
        var version: Int
        var subject: String
        var issuer: String
        var notBefore: Date
        var notAfter: Date
        var publicKey: PublicKeyDescription
        var signatureAlgorithmOID: String
        var subjectAlternativeNames: [SubjectAlternativeName]
        var isCA: Bool
        var pathLengthConstraint: Int?
        var keyUsage: KeyUsage?
        var extendedKeyUsage: [String]?
        var extensions: [CertificateExtension]
        var hasKeyIdentifiers: Bool

        init(_ info: CertificateInfo) {
            let fields = info.fields
            version = fields.version
            subject = fields.subject
            issuer = fields.issuer
            notBefore = fields.notBefore
            notAfter = fields.notAfter
            publicKey = fields.publicKey
            signatureAlgorithmOID = fields.signatureAlgorithmOID
            subjectAlternativeNames = fields.subjectAlternativeNames
            isCA = fields.isCA
            pathLengthConstraint = fields.pathLengthConstraint
            keyUsage = fields.keyUsage
            extendedKeyUsage = fields.extendedKeyUsage
            extensions = fields.extensions
            hasKeyIdentifiers = fields.subjectKeyIdentifier != nil && fields.authorityKeyIdentifier != nil
        }
    }

    /// init on `maker`, then issue, CRL, renew and rollover on `user`: the shapes of what was
    /// signed, and whether the CA key files were encrypted.
    func lifecycle(_ protection: CAKeyProtection, maker: EngineUnderTest, user: EngineUnderTest) throws -> (
        shapes: [Shape], crlIssuers: [String], encrypted: [Bool]
    ) {
        let pki = try TemporaryPKI()
        let clock = TestClock()
        var shapes = [Shape]()
        var encrypted = [Bool]()
        do {
            let store = try PKIStore(
                pki.directory, backend: maker.backend, clock: clock.read, keyStore: protection.keyStore,
                options: .init(create: true))
            shapes.append(Shape(try store.createCA(name: "Shape CA", keyType: .ecdsaP256, days: 3650)))
        }
        encrypted.append(KeyStore.isEncryptedKeyFile(at: pki.directory.caKeyPath))
        let store = try PKIStore(
            pki.directory, backend: user.backend, clock: clock.read, keyStore: protection.keyStore.writing(.plain))
        shapes.append(
            Shape(
                try store.issue(
                    name: "db1", profile: .server(name: "db1", dns: ["db1.example.com"], ips: []), keyType: .rsa2048)))
        shapes.append(Shape(try store.issue(name: "app", profile: .client(name: "app"), keyType: .ecdsaP384)))
        var crlIssuers = [try store.makeCRL(includeReasons: false).info.issuer]
        clock.now = clock.now.addingTimeInterval(86_400)
        shapes.append(Shape(try store.renew(name: "db1").certificate))
        shapes.append(Shape(try store.rolloverCA(days: 3650).new))
        encrypted.append(KeyStore.isEncryptedKeyFile(at: pki.directory.caKeyPath))
        shapes.append(Shape(try store.renew(name: "app").certificate))
        crlIssuers.append(try store.makeCRL(includeReasons: false).info.issuer)
        crlIssuers.append(try store.makeCRL(old: true, includeReasons: false).info.issuer)
        #expect(try store.doctor().isEmpty)
        return (shapes, crlIssuers, encrypted)
    }

    @Test(
        "init, issue, crl, renew and rollover make the same certificates and CRLs with an encrypted CA key as with a plain one",
        arguments: EngineUnderTest.pairs)
    func encryptedSignsTheSameKind(pair: EnginePair) throws {
        let plain = try lifecycle(.plain, maker: pair.maker, user: pair.checker)
        let encrypted = try lifecycle(.encrypted, maker: pair.maker, user: pair.checker)
        #expect(plain.encrypted == [false, false])
        #expect(encrypted.encrypted == [true, true], "a rollover keeps the CA key encrypted")
        #expect(plain.shapes.count == encrypted.shapes.count)
        for (index, (a, b)) in zip(plain.shapes, encrypted.shapes).enumerated() {
            #expect(a == b, "certificate \(index)")
        }
        #expect(plain.crlIssuers == encrypted.crlIssuers)
    }
}
