import DBPKITestSupport
import Foundation
import Testing

@Suite("dbpki audit, as a user runs it")
struct AuditCLITests {
    static let backends = ["openssl", "gnutls"]

    /// A PKI with a CA, a server certificate and a client certificate issued now by `backend`.
    static func makePKI(_ scratch: ScratchFolder, backend: String, clientDays: Int = 200) throws -> String {
        let pki = scratch.file("pki")
        for arguments in [
            ["init", "--dir", pki, "--name", "Audit CA"], ["issue", "db1", "--dir", pki, "--dns", "db1.example.com"],
            ["issue", "app", "--dir", pki, "--client", "--days", String(clientDays)],
        ] {
            let made = try CLIRunner.run(arguments + ["--backend", backend])
            #expect(made.status == 0, "\(made.stderr)")
        }
        return pki
    }

    static func json(_ outcome: CLIRunner.Outcome) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
    }

    @Test("a fresh PKI audits clean: exit 0, every certificate ok, keys skipped", arguments: backends)
    func cleanPKI(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch, backend: backend)
        let audit = try CLIRunner.run(["audit", "--dir", pki, "--format", "json", "--backend", backend])
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        let object = try Self.json(audit)
        let certificates = try #require(object["certificates"] as? [[String: Any]])
        #expect(certificates.count == 3)
        #expect(certificates.allSatisfy { $0["stage"] as? String == "ok" && ($0["findings"] as? [String]) == [] })
        let summary = try #require(object["summary"] as? [String: Any])
        // ca.key, the two leaf keys and inventory.sqlite; the hidden .lock is not even read.
        #expect(summary["files_skipped"] as? Int == 4)
        #expect(!audit.stdout.contains("PRIVATE KEY"))
        let table = try CLIRunner.run(["audit", "--dir", pki, "--backend", backend])
        #expect(table.status == 0)
        #expect(table.stdout.contains("3 certificates: ok 3; findings: none"))
    }

    @Test("--at moves the audit: warning (1), expiring today and expired (2), before validity (2)", arguments: backends)
    func atPastAndFuture(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch, backend: backend, clientDays: 40)
        let inspect = try CLIRunner.run(["inspect", pki + "/issued/app.crt", "--json"])
        let notAfterText = try #require(
            ((try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])?["certificates"]
                as? [[String: Any]])?.first?["not_after"] as? String)
        let formatter = ISO8601DateFormatter()
        let notAfter = try #require(formatter.date(from: notAfterText))
        func audit(at date: Date, _ extra: [String] = []) throws -> (Int32, String?) {
            let run = try CLIRunner.run(
                [
                    "audit", pki + "/issued/app.crt", "--format", "json", "--at", formatter.string(from: date),
                    "--backend", backend,
                ]
                    + extra)
            let certificates = try Self.json(run)["certificates"] as? [[String: Any]]
            return (run.status, certificates?.first?["stage"] as? String)
        }
        let day: TimeInterval = 86_400
        #expect(try audit(at: notAfter.addingTimeInterval(-31 * day)) == (0, "ok"))
        #expect(try audit(at: notAfter.addingTimeInterval(-30 * day)) == (1, "warn-30"))
        #expect(try audit(at: notAfter.addingTimeInterval(-15 * day)) == (1, "warn-15"))
        #expect(try audit(at: notAfter.addingTimeInterval(-7 * day)) == (1, "warn-7"))
        #expect(try audit(at: notAfter.addingTimeInterval(-3600)) == (2, "expires-today"))
        #expect(try audit(at: notAfter.addingTimeInterval(1)) == (2, "expired"))
        #expect(try audit(at: notAfter.addingTimeInterval(-30 * day), ["--warn-days", "20,10"]) == (0, "ok"))
        #expect(try audit(at: notAfter.addingTimeInterval(-20 * day), ["--warn-days", "20,10"]) == (1, "warn-20"))
        let early = try CLIRunner.run([
            "audit", pki + "/issued/app.crt", "--format", "json", "--at", "2000-01-01T00:00:00Z",
        ])
        #expect(early.status == 2)
        #expect(early.stdout.contains("\"findings\": [\"not-yet-valid\"]"))
    }

    @Test("unreadable inputs exit 3 only when nothing worse, and are listed on stderr and in the JSON")
    func unreadable() throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch, backend: "openssl")
        let missing = scratch.file("missing.crt")
        let audit = try CLIRunner.run(["audit", "--dir", pki, missing, pki + "/ca.key", "--format", "json"])
        #expect(audit.status == 3, "\(audit.stderr)")
        #expect(audit.stderr.contains("unreadable: \(missing): no such file or folder"))
        #expect(audit.stderr.contains("unreadable: \(pki)/ca.key: no certificate in PEM input"))
        let unreadable = try #require(
            (try Self.json(audit)["summary"] as? [String: Any])?["unreadable"] as? [[String: String]])
        #expect(unreadable.map { $0["input"] } == [missing, pki + "/ca.key"])
        let worse = try CLIRunner.run(["audit", "--dir", pki, missing, CLIRunner.testdata("audit/rsa-1024.crt")])
        #expect(worse.status == 2)
        let onlyBad = try CLIRunner.run(["audit", missing])
        #expect(onlyBad.status == 3)
        #expect(onlyBad.stdout.contains("0 certificates; findings: none; 1 unreadable input"))
    }

    @Test("compliance findings come out as codes and exit 2", arguments: backends)
    func findings(backend: String) throws {
        let audit = try CLIRunner.run([
            "audit", CLIRunner.testdata("audit"), "--format", "json", "--backend", backend,
        ])
        #expect(audit.status == 2)
        let certificates = try #require(try Self.json(audit)["certificates"] as? [[String: Any]])
        let codes = Dictionary(
            uniqueKeysWithValues: certificates.map {
                ($0["subject"] as? String ?? "", $0["findings"] as? [String] ?? [])
            })
        #expect(codes["CN=md5-signed.audit.example"] == ["md5-signature"])
        #expect(codes["CN=sha1-signed.audit.example"] == ["sha1-signature"])
        #expect(codes["CN=rsa-1024.audit.example"] == ["weak-key"])
    }

    @Test("a cert+key PEM and a client zip are read; the key never reaches the output")
    func combinedAndZip() throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch, backend: "openssl")
        let key = try String(contentsOfFile: pki + "/issued/db1.key", encoding: .utf8)
        let combined = scratch.file("db1.pem")
        try (try String(contentsOfFile: pki + "/issued/db1.crt", encoding: .utf8) + key).write(
            toFile: combined, atomically: true, encoding: .utf8)
        let out = scratch.file("out")
        #expect(try CLIRunner.run(["bundle", "redis", "db1", "--dir", pki, "--out", out]).status == 0)
        for format in ["table", "json", "prometheus"] {
            let audit = try CLIRunner.run(["audit", combined, out + "/db1-crt.zip", "--format", format])
            #expect(audit.status == 0, "\(audit.stderr)")
            let keyBody = key.split(separator: "\n")[1]
            #expect(!audit.stdout.contains(keyBody) && !audit.stdout.contains("PRIVATE"))
            #expect(audit.stdout.contains("db1-crt.zip!ca.crt"))
        }
    }

    @Test("--output writes the report atomically with mode 0644")
    func outputFile() throws {
        let scratch = try ScratchFolder()
        let pki = try Self.makePKI(scratch, backend: "gnutls")
        let file = scratch.file("dbpki.prom")
        let audit = try CLIRunner.run(["audit", "--dir", pki, "--format", "prometheus", "--output", file])
        #expect(audit.status == 0)
        #expect(audit.stdout.isEmpty)
        #expect(try mode(of: file) == 0o644)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("dbpki_audit_certificates{stage=\"ok\"} 3"))
    }

    @Test(
        "usage errors exit 64+ with one error line",
        arguments: [
            ["audit"], ["audit", "x", "--warn-days", "30,x"], ["audit", "x", "--warn-days", "7,7"],
            ["audit", "x", "--format", "xml"], ["audit", "--probe", "nohost"], ["audit", "x", "--at", "yesterday"],
            ["audit", "x", "--timeout", "0"],
        ])
    func usage(arguments: [String]) throws {
        let run = try CLIRunner.run(arguments)
        #expect(run.status >= 64, "\(arguments)")
        #expect(run.stderr.hasPrefix("error: ") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }

    @Test("a probe of a closed port is unreadable (exit 3), quickly", arguments: backends)
    func closedPort(backend: String) throws {
        // Bind then close a listener to find a port that nothing listens on.
        let port = try closedLoopbackPort()
        let start = Date()
        let run = try CLIRunner.run([
            "audit", "--probe", "127.0.0.1:\(port)", "--timeout", "2", "--backend", backend, "--format", "json",
        ])
        #expect(run.status == 3)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(run.stderr.contains("unreadable: probe:127.0.0.1:\(port): connection failed"))
    }

    @Test("--help documents the stages, finding codes and JSON schema")
    func help() throws {
        let run = try CLIRunner.run(["audit", "--help"])
        for needle in [
            "warn-30", "expires-today", "weak-key", "sha1-signature", "md5-signature", "missing-san",
            "validity-too-long", "outlives-issuer", "not-yet-valid", "ca-without-keycertsign", "duplicate-serial",
            "fingerprint_sha256", "dbpki_certificate_expiry_seconds", "--backend",
        ] {
            #expect(run.stdout.contains(needle), "\(needle)")
        }
    }
}

/// A loopback TCP port with no listener: bound once by the system's choice, then closed.
func closedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CocoaError(.fileReadUnknown) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw CocoaError(.fileReadUnknown) }
    return Int(UInt16(bigEndian: address.sin_port))
}
