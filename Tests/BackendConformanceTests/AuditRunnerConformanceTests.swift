import DBPKI
import DBPKITestSupport
import Foundation
import Testing
import ZIPFoundation

@Suite("dbpki audit's runner on every engine: inputs, dedupe, findings")
struct AuditRunnerConformanceTests {
    static let at = TestPKI.now.addingTimeInterval(3600)
    static let day = TestPKI.day

    static func pem(_ issued: Issued) -> String { PEM.encode(label: "CERTIFICATE", der: issued.der) }

    static func audit(_ engine: EngineUnderTest, _ inputs: [AuditInput], at time: Date = at) -> AuditReport {
        let collection = AuditRunner(backend: engine.backend, batchSize: 3).collect(inputs)
        return AuditReport(
            collection, thresholds: .standard, context: AuditContext(at: time.timeIntervalSince1970))
    }

    /// A leaf of `pki` under `parent` whose notAfter is `days` after the audit time, valid
    /// `validFor` days (by default from 30 days before the audit time).
    static func leaf(
        _ pki: TestPKI, _ name: String, by parent: Issued?, days: Double, validFor: Double? = nil,
        edit: (inout CertificateRequest) -> Void = { _ in }
    ) throws -> Issued {
        try pki.custom(subject: name, by: parent) { request in
            request.notAfter = at.addingTimeInterval(days * day)
            request.notBefore = request.notAfter.addingTimeInterval(-(validFor ?? max(days, 0) + 30) * day)
            request.subjectAlternativeNames = [.dns("\(name).example.com")]
            edit(&request)
        }
    }

    @Test(
        "every input kind is read; keys never; one record per certificate with all its locations",
        arguments: EngineUnderTest.all)
    func inputKinds(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let a = try Self.leaf(pki, "a", by: root, days: 100)
        let b = try Self.leaf(pki, "b", by: root, days: 20)
        let c = try Self.leaf(pki, "c", by: root, days: 5)
        let scratch = try ScratchFolder()
        let key = PEM.encode(label: "PRIVATE KEY", der: a.key.pkcs8DER)
        let multi = try scratch.write("multi.pem", Self.pem(root) + Self.pem(a) + Self.pem(b))
        let der = try scratch.write("c.der", c.der)
        let combined = try scratch.write("combined.pem", Self.pem(a) + key)
        let zip = try scratch.write(
            "cache1-crt.zip",
            try ClientZip.make([
                .init(name: "ca.crt", contents: Array(Self.pem(root).utf8), mode: 0o644),
                .init(name: "b.crt", contents: Array(Self.pem(b).utf8), mode: 0o644),
            ]))
        try scratch.write("folder/deep/er/c.crt", Self.pem(c))
        try scratch.write("folder/c.key", key)
        try scratch.write("folder/notes.txt", "not a certificate")
        try scratch.write("folder/state.sqlite", Array("SQLite format 3\0".utf8) + [UInt8](repeating: 7, count: 64))
        try scratch.write("folder/key.der", a.key.pkcs8DER)

        let report = Self.audit(
            engine, [.path(multi), .path(der), .path(combined), .path(zip), .path(scratch.path + "/folder")])
        #expect(report.unreadable.isEmpty, "\(report.unreadable)")
        #expect(report.entries.count == 4)
        let bySubject = Dictionary(uniqueKeysWithValues: report.entries.map { ($0.certificate.fields.subject, $0) })
        #expect(bySubject["CN=dbpki Test Root"]?.certificate.locations == [multi, zip + "!ca.crt"])
        #expect(bySubject["CN=a"]?.certificate.locations == [multi, combined])
        #expect(bySubject["CN=b"]?.certificate.locations == [multi, zip + "!b.crt"])
        #expect(bySubject["CN=c"]?.certificate.locations == [der, scratch.path + "/folder/deep/er/c.crt"])
        #expect(bySubject["CN=c"]?.certificate.fingerprint == c.info.fingerprintSHA256)
        #expect(report.filesSkipped == 4)
        let json = String(decoding: try AuditFormat.json.render(report), as: UTF8.self)
        #expect(!json.contains("PRIVATE KEY") && !json.contains(Hex.encode(a.key.pkcs8DER)))
        #expect(report.exitStatus == 1)  // c is in warn-7, nothing worse
    }

    @Test("named inputs that hold no certificate are unreadable, and the audit goes on", arguments: EngineUnderTest.all)
    func unreadable(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let scratch = try ScratchFolder()
        let good = try scratch.write("good.crt", Self.pem(root))
        let key = try scratch.write("only.key", PEM.encode(label: "PRIVATE KEY", der: root.key.pkcs8DER))
        let text = try scratch.write("text.crt", "hello")
        let broken = try scratch.write("broken.pem", "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n")
        let garbage = try scratch.write("garbage.der", [0x30, 0x03, 0x02, 0x01, 0x05])
        let inFolder = try scratch.write("dir/broken.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n")
        let report = Self.audit(
            engine,
            [
                .path(key), .path(good), .path(text), .path(broken), .path(garbage), .path(scratch.path + "/none"),
                .pkiDirectory(scratch.path + "/dir"), .pkiDirectory(scratch.path + "/nowhere"),
            ])
        #expect(report.entries.count == 1)
        // Missing inputs are reported as the walk meets them, files as their batch is read.
        #expect(
            Set(report.unreadable.map(\.input)) == [
                key, text, broken, garbage, scratch.path + "/none", inFolder, scratch.path + "/nowhere",
            ])
        #expect(report.unreadable.count == 7)
        #expect(report.exitStatus == 3)
    }

    @Test("each finding from certificates the engine issued", arguments: EngineUnderTest.all)
    func findings(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let shortCA = try pki.custom(subject: "Short CA", by: root) { request in
            request.isCA = true
            request.keyUsage = [.keyCertSign, .cRLSign]
            request.extendedKeyUsage = []
            request.notAfter = Self.at.addingTimeInterval(50 * Self.day)
        }
        let badCA = try pki.custom(subject: "No keyCertSign CA", by: root) { request in
            request.isCA = true
            request.keyUsage = [.cRLSign]
            request.extendedKeyUsage = []
        }
        let outlives = try Self.leaf(pki, "outlives", by: shortCA, days: 60)
        let noSAN = try Self.leaf(pki, "nosan", by: root, days: 100) { $0.subjectAlternativeNames = [] }
        let client = try Self.leaf(pki, "client", by: root, days: 100) {
            $0.subjectAlternativeNames = []
            $0.extendedKeyUsage = [ExtendedKeyUsage.clientAuth]
        }
        let long = try Self.leaf(pki, "long", by: root, days: 100, validFor: 900)
        let future = try pki.custom(subject: "future", by: root) { request in
            request.notBefore = Self.at.addingTimeInterval(Self.day)
            request.notAfter = Self.at.addingTimeInterval(100 * Self.day)
            request.subjectAlternativeNames = [.dns("future.example.com")]
        }
        let serial = SerialNumber.random()
        let twinA = try Self.leaf(pki, "twin-a", by: root, days: 100) { $0.serialNumber = serial }
        let twinB = try Self.leaf(pki, "twin-b", by: root, days: 100) { $0.serialNumber = serial }
        let scratch = try ScratchFolder()
        let all = [root, shortCA, badCA, outlives, noSAN, client, long, future, twinA, twinB]
        let file = try scratch.write("all.pem", all.map(Self.pem).joined())
        let report = Self.audit(engine, [.path(file)])
        let codes = Dictionary(
            uniqueKeysWithValues: report.entries.map { ($0.certificate.fields.subject, $0.findings) })
        #expect(codes["CN=dbpki Test Root"] == [])
        #expect(codes["CN=Short CA"] == [])
        #expect(codes["CN=No keyCertSign CA"] == ["ca-without-keycertsign"])
        #expect(codes["CN=outlives"] == ["outlives-issuer"])
        #expect(codes["CN=nosan"] == ["missing-san"])
        #expect(codes["CN=client"] == [])
        #expect(codes["CN=long"] == ["validity-too-long"])
        #expect(codes["CN=future"] == ["not-yet-valid"])
        #expect(codes["CN=twin-a"] == ["duplicate-serial"] && codes["CN=twin-b"] == ["duplicate-serial"])
        #expect(report.exitStatus == 2)
    }

    @Test("a SHA-1 signed certificate from the engine is flagged sha1-signature", arguments: EngineUnderTest.all)
    func sha1(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root("RSA Root", keyType: .rsa2048)
        let signed: Issued
        do {
            signed = try Self.leaf(pki, "sha1", by: root, days: 100) { $0.digest = .sha1 }
        } catch {
            // An engine that refuses to sign with SHA-1: testdata/audit/sha1-signed.crt covers reading one there.
            #expect(engine.backend.engine == .gnutls, "\(error)")
            return
        }
        #expect(signed.info.signatureAlgorithmOID == "1.2.840.113549.1.1.5")
        let scratch = try ScratchFolder()
        let report = Self.audit(engine, [.path(try scratch.write("sha1.crt", Self.pem(signed)))])
        #expect(report.entries.first?.findings == ["sha1-signature"])
    }

    @Test("the vendored weak certificates give their findings on every engine", arguments: EngineUnderTest.all)
    func vendoredWeak(engine: EngineUnderTest) throws {
        let folder = TestData.path("audit")
        // They were made valid for a year from when they were made: audit them inside that year.
        let made = try engine.backend.parseCertificate(
            der: CertificateDecoder.certificates(from: InputFile.read(folder + "/rsa-1024.crt"))[0])
        let report = Self.audit(engine, [.path(folder)], at: made.notBefore.addingTimeInterval(Self.day))
        let codes = Dictionary(
            uniqueKeysWithValues: report.entries.map { ($0.certificate.fields.subject, $0.findings) })
        #expect(codes["CN=rsa-1024.audit.example"] == ["weak-key"])
        #expect(codes["CN=ec-p224.audit.example"] == ["weak-key"])
        #expect(codes["CN=dsa-2048.audit.example"] == ["weak-key"])
        #expect(codes["CN=sha1-signed.audit.example"] == ["sha1-signature"])
        #expect(codes["CN=md5-signed.audit.example"] == ["md5-signature"])
        // secp256k1: read through the engine's parse where it has the curve, else unreadable (a named .cer).
        if engine.backend.engine == .openssl {
            #expect(codes["CN=secp256k1.audit.example"] == [])
        } else {
            #expect(codes["CN=secp256k1.audit.example"] != nil || report.unreadable.count == 1)
        }
    }

    @Test("stages of issued certificates at the contract's boundaries", arguments: EngineUnderTest.all)
    func stages(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let scratch = try ScratchFolder()
        var expected = [String: String]()
        var text = ""
        for (days, stage) in [
            (31.0, "ok"), (30, "warn-30"), (16, "warn-30"), (15, "warn-15"), (8, "warn-15"), (7, "warn-7"),
            (1, "warn-7"), (0, "expires-today"), (-1.0 / 86_400, "expired"),
        ] {
            let name = "d\(days)"
            text += Self.pem(try Self.leaf(pki, name, by: root, days: days))
            expected["CN=" + name] = stage
        }
        let report = Self.audit(engine, [.path(try scratch.write("stages.pem", text))])
        for entry in report.entries where entry.certificate.fields.subject != root.info.subject {
            #expect(
                entry.stage.name == expected[entry.certificate.fields.subject], "\(entry.certificate.fields.subject)")
        }
        #expect(report.entries.first?.daysLeft == -1)
        #expect(report.exitStatus == 2)
    }
}
