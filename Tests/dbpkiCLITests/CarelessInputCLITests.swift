import DBPKITestSupport
import Foundation
import Testing

/// What a careless or hostile user hands dbpki, and the one clear answer each gets:
/// no hang, no crash, no guess, no terminal escape echoed back.
@Suite("dbpki with careless and hostile input, as a user runs it")
struct CarelessInputCLITests {
    static let backends = ["openssl", "gnutls"]

    /// A PKI with a CA and a server certificate `db` for db1.example.com.
    static func makePKI(_ scratch: ScratchFolder, backend: String = "openssl") throws -> String {
        let pki = scratch.file("pki")
        #expect(try CLIRunner.run(["init", "--dir", pki, "--name", "Careless CA", "--backend", backend]).status == 0)
        let issued = try CLIRunner.run(["issue", "db", "--dir", pki, "--dns", "db1.example.com", "--backend", backend])
        #expect(issued.status == 0, "\(issued.stderr)")
        return pki
    }

    /// Expects one `error:` line and the exit code, and returns the line.
    @discardableResult
    static func expectError(
        _ outcome: CLIRunner.Outcome, status: Int32, sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        #expect(!outcome.killedBySignal, "died of signal \(outcome.status)", sourceLocation: sourceLocation)
        #expect(outcome.status == status, "\(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.hasPrefix("error: "), "\(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(
            outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)", sourceLocation: sourceLocation)
        return outcome.stderr
    }

    @Test(
        "--max-intermediates outside 0-64 is a usage error before either engine is asked",
        arguments: ["openssl", "gnutls", "both"])
    func maxIntermediatesHasOneRange(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch)
        let chain = ["verify", "chain", pki + "/issued/db.crt", "--trust", pki + "/ca.crt", "--backend", backend]
        for limit in ["9223372036854775807", "992", "65", "-1"] {
            let outcome = try CLIRunner.run(chain + ["--max-intermediates=\(limit)"])
            #expect(Self.expectError(outcome, status: 64).contains("0 to 64"))
        }
        for limit in ["0", "64"] {
            let outcome = try CLIRunner.run(chain + ["--max-intermediates", limit])
            #expect(outcome.status == 0, "\(limit): \(outcome.stderr)")
        }
    }

    @Test("a FIFO where a file belongs is refused at once, not waited on", arguments: backends)
    func fifosAreRefused(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch, backend: backend)
        let fifo = scratch.file("fifo.pem")
        #expect(mkfifo(fifo, 0o600) == 0)
        let leaf = pki + "/issued/db.crt"
        let trust = pki + "/ca.crt"
        let commands: [[String]] = [
            ["inspect", fifo],
            ["verify", "chain", fifo, "--trust", trust],
            ["verify", "chain", leaf, "--trust", fifo],
            ["verify", "chain", leaf, "--trust", trust, "--untrusted", fifo],
            ["verify", "chain", leaf, "--trust", trust, "--crl", fifo],
            ["verify", "bundle", fifo],
        ]
        for command in commands {
            let outcome = try CLIRunner.run(command + ["--backend", backend], timeout: 20)
            #expect(Self.expectError(outcome, status: 65).contains("is a FIFO"), "\(command)")
        }
        // Planted in the PKI, it must not hold the lock for ever either.
        try FileManager.default.removeItem(atPath: leaf)
        #expect(mkfifo(leaf, 0o600) == 0)
        let bundle = try CLIRunner.run(
            ["bundle", "redis", "db", "--dir", pki, "--out", scratch.file("out"), "--backend", backend], timeout: 20)
        #expect(bundle.status != 0 && bundle.stderr.contains("FIFO"), "\(bundle.stderr)")
        let doctor = try CLIRunner.run(["doctor", "--dir", pki, "--backend", backend], timeout: 20)
        #expect(doctor.status != 0 && doctor.stdout.contains("FIFO") || doctor.stderr.contains("FIFO"))
    }

    @Test("a key with damaged or missing armour makes a bundle unfit and is named as a key")
    func strayKeysAreUnfit() throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch)
        let ca = try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8)
        let key = try String(contentsOfFile: pki + "/issued/db.key", encoding: .utf8)
        let lines = key.split(separator: "\n").map(String.init)
        let body = lines.dropFirst().dropLast().joined(separator: "\n")
        let variants: [(String, String, String)] = [
            ("bare base64 body", body, "a private key (PRIVATE KEY) outside PEM armour"),
            ("broken armour", "x" + key, "a private key (PRIVATE KEY) outside PEM armour"),
            ("commented out", lines.map { "# " + $0 }.joined(separator: "\n"), "outside PEM armour"),
            ("a stray remark", "uploaded by ops", "text outside the certificate blocks"),
        ]
        for (what, tail, problem) in variants {
            let path = scratch.file("bundle.crt")
            try (ca + tail + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let outcome = try CLIRunner.run(["verify", "bundle", path])
            #expect(outcome.status == 1, "\(what): \(outcome.stdout)\(outcome.stderr)")
            #expect((outcome.stdout + outcome.stderr).contains(problem), "\(what): \(outcome.stdout)\(outcome.stderr)")
        }
        let clean = scratch.file("clean.crt")
        try ca.write(toFile: clean, atomically: true, encoding: .utf8)
        #expect(try CLIRunner.run(["verify", "bundle", clean]).status == 0)
    }

    @Test("DNS names lose a trailing dot and repeat once, and the result verifies", arguments: backends)
    func namesAreNormalised(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        #expect(try CLIRunner.run(["init", "--dir", pki, "--name", "CA", "--backend", backend]).status == 0)
        let issued = try CLIRunner.run([
            "issue", "db", "--dir", pki, "--dns", "db1.example.com.", "--dns", "DB1.example.com", "--ip", "10.0.0.1",
            "--ip", "10.0.0.1", "--backend", backend,
        ])
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(issued.stdout.contains("for DNS:db1.example.com, IP:10.0.0.1, serial"), "\(issued.stdout)")
        let verified = try CLIRunner.run([
            "verify", "chain", pki + "/issued/db.crt", "--trust", pki + "/ca.crt", "--host", "db1.example.com",
            "--backend", "both",
        ])
        #expect(verified.status == 0, "\(verified.stderr)")
    }

    @Test("names past what RFC 5280 and clients carry are refused, and nothing is written")
    func oversizedNamesAreRefused() throws {
        let scratch = try ScratchFolder()
        let longCA = try CLIRunner.run([
            "init", "--dir", scratch.file("long"), "--name", String(repeating: "a", count: 70_000),
        ])
        #expect(Self.expectError(longCA, status: 64).contains("at most 64"))
        #expect(longCA.stderr.count < 300)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("long")))
        let pki = try Self.makePKI(scratch)
        let many = (0...CLIRunnerLimits.subjectAlternativeNames).flatMap { ["--dns", "h\($0).example.com"] }
        let tooMany = try CLIRunner.run(["issue", "many", "--dir", pki] + many)
        #expect(Self.expectError(tooMany, status: 64).contains("subject alternative names"))
        #expect(!FileManager.default.fileExists(atPath: pki + "/issued/many.crt"))
    }

    @Test("control characters in names are escaped in errors and listings, never echoed raw")
    func controlCharactersAreEscaped() throws {
        let scratch = try ScratchFolder()
        let evil = try CLIRunner.run(["init", "--dir", scratch.file("evil"), "--name", "Evil\u{1b}[2J CA"])
        #expect(Self.expectError(evil, status: 64).contains("\\x1b[2J"))
        #expect(!evil.stderr.contains("\u{1b}"))
        let pki = try Self.makePKI(scratch)
        let badName = try CLIRunner.run(["issue", "a\u{1b}[31m" + String(repeating: "b", count: 5000), "--dir", pki])
        #expect(badName.status == 64)
        #expect(!badName.stderr.contains("\u{1b}") && badName.stderr.count < 400, "\(badName.stderr)")
        let listed = try CLIRunner.run(["list", "--dir", pki])
        #expect(listed.status == 0 && !listed.stdout.contains("\u{1b}"))
    }

    @Test("--at refuses days a month does not have and years past 9999", arguments: ["verify", "inspect", "audit"])
    func strictTimes(command: String) throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch)
        let base: [String] =
            switch command {
            case "verify": ["verify", "chain", pki + "/issued/db.crt", "--trust", pki + "/ca.crt"]
            case "inspect": ["inspect", pki + "/ca.crt"]
            default: ["audit", "--dir", pki]
            }
        for bad in [
            "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "10000-01-01T00:00:00Z", "2026-01-01",
            "2026-01-01T24:00:00Z",
        ] {
            let outcome = try CLIRunner.run(base + ["--at", bad])
            #expect(Self.expectError(outcome, status: 64).contains("not an RFC 3339 time"), "\(bad)")
        }
        for good in ["2028-02-29T12:00:00Z", "2027-01-01T00:00:00.5+02:00"] {
            let outcome = try CLIRunner.run(base + ["--at", good])
            #expect(outcome.status < 64, "\(good): \(outcome.stderr)")
        }
    }

    @Test("errors name their input in plain words, once")
    func errorsNameTheirInput() throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch)
        let sequence = scratch.file("not-a-certificate.der")
        try Data([0x30, 0x03, 0x02, 0x01, 0x01]).write(to: URL(fileURLWithPath: sequence))
        for command in [["inspect", sequence], ["verify", "chain", sequence, "--trust", pki + "/ca.crt"]] {
            let outcome = try CLIRunner.run(command)
            #expect(Self.expectError(outcome, status: 65).contains("not-a-certificate.der: "), "\(command)")
        }
        // A big PEM of certificates given as a CRL says so once, with a count.
        let certificate = try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8)
        let many = scratch.file("many.pem")
        try String(repeating: certificate, count: 2000).write(toFile: many, atomically: true, encoding: .utf8)
        let crl = try CLIRunner.run([
            "verify", "chain", pki + "/issued/db.crt", "--trust", pki + "/ca.crt", "--crl", many,
        ])
        let line = Self.expectError(crl, status: 65)
        #expect(line.contains("CERTIFICATE (2000 blocks)") && line.count < 300, "\(line.prefix(300))")
        let window = try CLIRunner.run(["renew", "--dir", pki, "--expiring-within", "100000"])
        #expect(Self.expectError(window, status: 64).contains("at most 36500 days"))
    }

    @Test("inspect and audit report what a TRUSTED CERTIFICATE holds; verification refuses its trust settings")
    func trustedCertificatesHaveOnePolicy() throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch)
        let plain = try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8)
        let trusted = scratch.file("trusted.pem")
        try plain.replacingOccurrences(of: " CERTIFICATE-----", with: " TRUSTED CERTIFICATE-----").write(
            toFile: trusted, atomically: true, encoding: .utf8)
        let inspected = try CLIRunner.run(["inspect", trusted])
        #expect(inspected.status == 0 && inspected.stdout.contains("CN=Careless CA"), "\(inspected.stderr)")
        let audited = try CLIRunner.run(["audit", trusted, "--format", "json"])
        #expect(audited.status == 0 && audited.stdout.contains("CN=Careless CA"), "\(audited.stderr)")
        let verified = try CLIRunner.run(["verify", "chain", pki + "/issued/db.crt", "--trust", trusted])
        #expect(Self.expectError(verified, status: 69).contains("trust settings"))
    }

    @Test("doctor checks only the certificate and key files dbpki keeps")
    func doctorIgnoresTheUsersOwnFiles() throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch)
        try "notes".write(toFile: pki + "/issued/README.txt", atomically: true, encoding: .utf8)
        let doctor = try CLIRunner.run(["doctor", "--dir", pki])
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
        #expect(!doctor.stdout.contains("README.txt"))
    }
}

/// The limits the CLI documents, as the tests use them.
enum CLIRunnerLimits {
    /// `CertificateProfile.maximumSubjectAlternativeNames`.
    static let subjectAlternativeNames = 1000
}
