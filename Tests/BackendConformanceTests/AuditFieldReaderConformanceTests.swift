import DBPKI
import DBPKITestSupport
import Foundation
import Testing

/// Holds the audit's pure-Swift certificate reader equal to both engines' full parse.
@Suite("The audit's fast certificate reader agrees with both engines")
struct AuditFieldReaderConformanceTests {
    /// Each compared field by name, from a ``CertificateFields``.
    static let comparedFields: [(String, @Sendable (CertificateFields) -> AnyHashable)] = [
        ("version", { $0.version }), ("subject", { $0.subject }), ("issuer", { $0.issuer }),
        ("serialNumber", { $0.serialNumber }), ("notBefore", { $0.notBefore }), ("notAfter", { $0.notAfter }),
        ("publicKey", { $0.publicKey }), ("signatureAlgorithmOID", { $0.signatureAlgorithmOID }),
        ("subjectAlternativeNames", { $0.subjectAlternativeNames }), ("isCA", { $0.isCA }),
        ("pathLengthConstraint", { $0.pathLengthConstraint }), ("keyUsage", { $0.keyUsage }),
        ("extendedKeyUsage", { $0.extendedKeyUsage }), ("subjectKeyIdentifier", { $0.subjectKeyIdentifier }),
        ("authorityKeyIdentifier", { $0.authorityKeyIdentifier }), ("extensions", { $0.extensions }),
    ]

    /// How one certificate compared.
    struct Comparison {
        var fastFailed = false
        /// Fields where the fast reader differs from an engine that agrees with the other engine.
        var mismatches: [String] = []
        /// Fields where the engines disagree with each other (the fast reader must equal one of them).
        var engineDisagreements: [String] = []
    }

    static func compare(_ der: [UInt8], openssl: CertificateInfo, gnutls: CertificateInfo) -> Comparison {
        var result = Comparison()
        guard let fast = try? CertificateFieldReader.read(der: der) else {
            result.fastFailed = true
            return result
        }
        let a = openssl.fields
        let b = gnutls.fields
        for (name, value) in comparedFields {
            let (fastValue, aValue, bValue) = (value(fast), value(a), value(b))
            if aValue == bValue {
                if fastValue != aValue { result.mismatches.append("\(name): fast \(fastValue) engines \(aValue)") }
            } else {
                result.engineDisagreements.append(name)
                if fastValue != aValue && fastValue != bValue {
                    result.mismatches.append("\(name): fast \(fastValue) openssl \(aValue) gnutls \(bValue)")
                }
            }
        }
        return result
    }

    static let engines = EngineUnderTest.all.map(\.backend)

    /// Parses with both engines; nil when either refuses.
    static func bothParse(_ der: [UInt8]) -> (CertificateInfo, CertificateInfo)? {
        guard let a = try? engines[0].parseCertificate(der: der), let b = try? engines[1].parseCertificate(der: der)
        else { return nil }
        return (a, b)
    }

    @Test("every certificate in testdata/chain and testdata/audit reads the same through the fast reader")
    func vendoredCertificates() throws {
        var count = 0
        for folder in ["chain", "audit"] {
            let url = TestData.url(folder)
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            for name in names where name.hasSuffix(".crt") || name.hasSuffix(".pem") {
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                guard let ders = try? CertificateDecoder.certificates(from: bytes) else { continue }
                for der in ders {
                    let (a, b) = try #require(Self.bothParse(der), "\(folder)/\(name)")
                    let comparison = Self.compare(der, openssl: a, gnutls: b)
                    #expect(!comparison.fastFailed, "\(folder)/\(name): the fast reader declined it")
                    #expect(comparison.mismatches.isEmpty, "\(folder)/\(name): \(comparison.mismatches)")
                    count += 1
                }
            }
        }
        #expect(count >= 10)
    }

    @Test("freshly issued RSA, ECDSA and Ed25519 certificates read the same", arguments: EngineUnderTest.all)
    func freshCertificates(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        for keyType in KeyType.allCases {
            let root = try pki.root("Root \(keyType.rawValue)", keyType: keyType)
            let leaf = try pki.issue(
                .server(
                    name: "db-\(keyType.rawValue).example.com", dns: ["db.example.com", "*.example.org"],
                    ips: [IPAddress("192.0.2.1")!, IPAddress("2001:db8::1")!]), by: root, keyType: keyType)
            let client = try pki.issue(.client(name: "app Ω ünïcode"), by: root, keyType: keyType)
            for item in [root, leaf, client] {
                let (a, b) = try #require(Self.bothParse(item.der))
                let comparison = Self.compare(item.der, openssl: a, gnutls: b)
                #expect(!comparison.fastFailed, "\(keyType): \(a.subject)")
                #expect(comparison.mismatches.isEmpty, "\(keyType): \(comparison.mismatches)")
                #expect(comparison.engineDisagreements.isEmpty, "\(keyType): \(comparison.engineDisagreements)")
            }
        }
    }

    @Test("x509-limbo certificates both engines parse read the same through the fast reader")
    func limboCertificates() throws {
        let data = try Data(contentsOf: TestData.url("x509-limbo/limbo.json"))
        struct Suite: Decodable {
            struct Case: Decodable {
                let trusted_certs: [String]
                let untrusted_intermediates: [String]
                let peer_certificate: String
            }
            let testcases: [Case]
        }
        let suite = try JSONDecoder().decode(Suite.self, from: data)
        var seen = Set<[UInt8]>()
        var compared = 0
        var declined = 0
        var disagreements = [String: Int]()
        var mismatches = [String]()
        for testCase in suite.testcases {
            for pem in testCase.trusted_certs + testCase.untrusted_intermediates + [testCase.peer_certificate] {
                guard let ders = try? CertificateDecoder.certificates(from: Array(pem.utf8)) else { continue }
                for der in ders where seen.insert(der).inserted {
                    guard let (a, b) = Self.bothParse(der) else { continue }
                    let comparison = Self.compare(der, openssl: a, gnutls: b)
                    compared += 1
                    if comparison.fastFailed { declined += 1 }
                    for field in comparison.engineDisagreements { disagreements[field, default: 0] += 1 }
                    mismatches += comparison.mismatches.map { "\(a.subject): \($0)" }
                }
            }
        }
        #expect(compared > 300, "only \(compared) limbo certificates compared")
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        // The fast reader may decline odd encodings (the audit then asks the engine), but only rarely.
        #expect(declined * 50 <= compared, "declined \(declined) of \(compared)")
        print("limbo: compared \(compared), fast reader declined \(declined), engine disagreements \(disagreements)")
    }

    @Test("the audit asks the engine for a certificate the fast reader declines", arguments: EngineUnderTest.all)
    func fallbackMatchesEngine(engine: EngineUnderTest) throws {
        let bytes = try TestData.bytes("audit/secp256k1.cer")
        let der = try CertificateDecoder.certificates(from: bytes)[0]
        #expect(throws: PKIError.self) { try CertificateFieldReader.read(der: der) }
        guard let info = try? engine.backend.parseCertificate(der: der) else {
            // GnuTLS has no secp256k1: then the audit reports the file unreadable, which the CLI tests cover.
            #expect(engine.backend.engine == .gnutls)
            return
        }
        let fields = try AuditRunner(backend: engine.backend).fields(of: der)
        #expect(fields == info.fields)
        #expect(fields.publicKey.algorithm == .ec)
    }

    @Test("full parse gives the fast reader's answer on an ordinary certificate", arguments: EngineUnderTest.all)
    func fullParseMatchesFast(engine: EngineUnderTest) throws {
        let root = try TestPKI(engine).root()
        let fast = try AuditRunner(backend: engine.backend).fields(of: root.der)
        let full = try AuditRunner(backend: engine.backend, fullParse: true).fields(of: root.der)
        #expect(fast == full)
        #expect(full == root.info.fields)
    }
}
