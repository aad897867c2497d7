import DBPKITestSupport
import Foundation
import Testing

/// The one JSON object a `--json` run printed on stdout.
func jsonObject(_ outcome: CLIRunner.Outcome, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any]
{
    let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))
    return try #require(
        object as? [String: Any], "not one JSON object: \(outcome.stdout)", sourceLocation: sourceLocation)
}

@Suite("Scripting dbpki: --json, --quiet, DBPKI_DIR, audit of nothing, unknown options first")
struct AutomationCLITests {
    static let backends = ["openssl", "gnutls"]
    /// A run with DBPKI_DIR unset (empty counts as unset), whatever the test's own environment holds.
    static let noDirectory = ["DBPKI_DIR": ""]

    /// Runs dbpki with `--json` and expects exit `status` and one JSON object on stdout.
    static func json(
        _ arguments: [String], status: Int32 = 0, environment: [String: String] = noDirectory,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        let outcome = try CLIRunner.run(arguments + ["--json"], environment: environment)
        #expect(
            outcome.status == status, "dbpki \(arguments.joined(separator: " ")): \(outcome.stderr)",
            sourceLocation: sourceLocation)
        return try jsonObject(outcome, sourceLocation: sourceLocation)
    }

    /// Every path in `files` exists.
    static func expectFilesExist(_ object: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let files = try #require(object["files"] as? [String], sourceLocation: sourceLocation)
        for file in files {
            #expect(file.hasPrefix("/"), "\(file) is not absolute", sourceLocation: sourceLocation)
            #expect(
                FileManager.default.fileExists(atPath: file), "\(file) was not written", sourceLocation: sourceLocation)
        }
    }

    /// The certificate fields of `object` equal the `list --json` record with the same serial: one mapping.
    static func expectListRecord(
        _ object: [String: Any], pki: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let serial = try #require(object["serial"] as? String, sourceLocation: sourceLocation)
        #expect(serial.allSatisfy { $0.isHexDigit && !$0.isUppercase }, sourceLocation: sourceLocation)
        let record = try #require(
            try inventory(pki).first { $0["serial"] as? String == serial }, sourceLocation: sourceLocation)
        for (key, value) in record {
            #expect(
                (object[key] as? NSObject) == (value as? NSObject), "\(key): \(object[key] ?? "none") != \(value)",
                sourceLocation: sourceLocation)
        }
    }

    @Test(
        "issue, renew, revoke, crl, bundle, verify bundle, doctor, init and ca print one JSON object",
        arguments: backends)
    func jsonEverywhere(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let engine = ["--backend", backend]

        let ca = try Self.json(["init", "--dir", pki, "--name", "JSON CA"] + engine)
        #expect(ca["kind"] as? String == "ca" && ca["name"] as? String == "JSON CA")
        #expect(ca["files"] as? [String] == [pki + "/ca.crt", pki + "/ca.key"])
        try Self.expectListRecord(ca, pki: pki)

        let issued = try Self.json(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"] + engine)
        #expect(issued["name"] as? String == "db1" && issued["kind"] as? String == "server")
        #expect(issued["files"] as? [String] == [pki + "/issued/db1.crt", pki + "/issued/db1.key"])
        #expect(issued["sans"] as? [String] == ["DNS:db1.example.com"])
        try Self.expectFilesExist(issued)
        try Self.expectListRecord(issued, pki: pki)
        #expect(try mode(of: pki + "/issued/db1.key") == 0o600)
        let replaced = try Self.json(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--force"] + engine)
        let firstSerial = try #require(issued["serial"] as? String)
        #expect((replaced["files"] as? [String])?.last == pki + "/history/db1-\(firstSerial).crt")
        try Self.expectFilesExist(replaced)

        let renewed = try Self.json(["renew", "db1", "--dir", pki] + engine)
        #expect(renewed["name"] as? String == "db1" && renewed["not_after"] is String)
        #expect(renewed["serial"] as? String != replaced["serial"] as? String)
        #expect((renewed["previous"] as? [String: Any])?["serial"] as? String == replaced["serial"] as? String)
        #expect(renewed["reused_key"] as? Bool == false)
        #expect((renewed["files"] as? [String])?.count == 3)
        try Self.expectFilesExist(renewed)
        try Self.expectListRecord(renewed, pki: pki)
        let kept = try Self.json(["renew", "db1", "--dir", pki, "--reuse-key"] + engine)
        let keptPrevious = try #require(kept["previous"] as? [String: Any])
        #expect(kept["reused_key"] as? Bool == true)
        #expect(
            kept["files"] as? [String] == [pki + "/issued/db1.crt", keptPrevious["certificate_path"] as? String ?? ""])
        let due = try Self.json(["renew", "--expiring-within", "900", "--days", "1000", "--dir", pki] + engine)
        #expect(due["within_days"] as? Int == 900)
        let dueRecords = try #require(due["renewed"] as? [[String: Any]])
        #expect(dueRecords.map { $0["name"] as? String } == ["db1"])
        try Self.expectFilesExist(dueRecords[0])

        try succeed(["issue", "app", "--dir", pki, "--client"] + engine)
        let out = scratch.file("out")
        let mongo = try Self.json(["bundle", "mongodb", "db1", "--dir", pki, "--out", out] + engine)
        #expect(mongo["database"] as? String == "mongodb" && mongo["version"] as? String == "7.0")
        #expect(mongo["client_download"] as? String == out + "/MongoDB-CA.crt")
        #expect((mongo["files"] as? [String])?.contains(out + "/server/mongod.conf") == true)
        #expect(mongo["serial"] as? String == dueRecords[0]["serial"] as? String)
        try Self.expectFilesExist(mongo)
        let redis = try Self.json(
            ["bundle", "redis", "db1", "--dir", pki, "--out", out, "--client-cert", "app"] + engine)
        #expect(redis["client_download"] as? String == out + "/db1-crt.zip")
        #expect(redis["client_certificate"] as? String == "app")
        try Self.expectFilesExist(redis)

        let fit = try Self.json(["verify", "bundle", out + "/db1-crt.zip", "--backend", backend])
        #expect(fit["fit_to_ship"] as? Bool == true && (fit["problems"] as? [String])?.isEmpty == true)
        #expect((fit["ca_certificates"] as? [[String: Any]])?.first?["serial"] as? String == ca["serial"] as? String)
        #expect(fit["client_certificates"] as? [String] == ["app.crt"])
        let unfit = try Self.json(["verify", "bundle", out + "/server/db1.pem", "--backend", backend], status: 1)
        #expect(unfit["fit_to_ship"] as? Bool == false && (unfit["problems"] as? [String])?.isEmpty == false)

        let revoked = try Self.json(["revoke", "app", "--dir", pki] + engine)
        #expect(revoked["status"] as? String == "revoked" && revoked["revoked_at"] is String)
        #expect(revoked["files"] as? [String] == [])
        try Self.expectListRecord(revoked, pki: pki)
        let crl = try Self.json(["crl", "--dir", pki, "--out", scratch.file("pki.crl")] + engine)
        #expect(crl["crl_number"] as? Int == 1 && crl["issuer"] as? String == "CN=JSON CA")
        #expect((crl["revoked"] as? [[String: Any]])?.map { $0["serial"] as? String } == [revoked["serial"] as? String])
        #expect(crl["files"] as? [String] == [scratch.file("pki.crl")])
        try Self.expectFilesExist(crl)

        let healthy = try Self.json(["doctor", "--dir", pki] + engine)
        #expect(healthy["ok"] as? Bool == true && healthy["certificates"] as? Int == 6 && healthy["cas"] as? Int == 1)

        let rolled = try Self.json(["ca", "rollover", "--dir", pki] + engine)
        #expect((rolled["new_ca"] as? [String: Any])?["name"] as? String == "JSON CA G2")
        #expect((rolled["old_ca"] as? [String: Any])?["serial"] as? String == ca["serial"] as? String)
        #expect(rolled["still_on_old_ca"] as? [String] == ["db1"])
        try Self.expectFilesExist(rolled)
        let refused = try Self.json(["ca", "retire-old", "--dir", pki] + engine, status: 1)
        #expect(refused["retired"] as? Bool == false && refused["still_on_old_ca"] as? [String] == ["db1"])
        let retired = try Self.json(["ca", "retire-old", "--dir", pki, "--force"] + engine)
        #expect(retired["retired"] as? Bool == true && (retired["files"] as? [String])?.count == 2)
        try Self.expectFilesExist(retired)

        try FileManager.default.removeItem(atPath: pki + "/issued/db1.crt")
        let sick = try Self.json(["doctor", "--dir", pki] + engine, status: 1)
        #expect(sick["ok"] as? Bool == false)
        #expect(
            (sick["problems"] as? [[String: Any]])?.contains { $0["path"] as? String == pki + "/issued/db1.crt" }
                == true)
    }

    @Test("--dir defaults to DBPKI_DIR; --dir wins; with neither, a usage error names both")
    func directoryFromEnvironment() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let env = ["DBPKI_DIR": pki]
        #expect(try CLIRunner.run(["init", "--name", "Env CA"], environment: env).status == 0)
        let issued = try CLIRunner.run(["issue", "db1", "--dns", "db1.example.com"], environment: env)
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(FileManager.default.fileExists(atPath: pki + "/issued/db1.crt"))
        let listed = try CLIRunner.run(["list"], environment: env)
        #expect(listed.status == 0 && listed.stdout.contains("db1"))
        let bundled = try CLIRunner.run(["bundle", "mongodb", "db1", "--out", scratch.file("out")], environment: env)
        #expect(bundled.status == 0, "\(bundled.stderr)")
        let audited = try CLIRunner.run(["audit", "--format", "json"], environment: env)
        #expect(audited.status == 0, "\(audited.stderr)")
        #expect(audited.stdout.contains(pki + "/issued/db1.crt"))
        // An audit that names something else does not add the PKI of DBPKI_DIR.
        let named = try CLIRunner.run(["audit", scratch.file("out/MongoDB-CA.crt")], environment: env)
        #expect(named.status == 0 && !named.stdout.contains("issued/db1.crt"))

        let other = scratch.file("other")
        #expect(try CLIRunner.run(["init", "--dir", other, "--name", "Other CA"], environment: env).status == 0)
        #expect(FileManager.default.fileExists(atPath: other + "/ca.crt"))

        for arguments in [
            ["init", "--name", "CA"], ["issue", "db2", "--client"], ["renew", "db1"], ["list"], ["revoke", "db1"],
            ["crl", "--out", scratch.file("x.crl")], ["doctor"], ["ca", "rollover"], ["ca", "status"],
            ["ca", "retire-old"], ["bundle", "mongodb", "db1", "--out", scratch.file("x")],
            ["bundle", "redis", "db1", "--out", scratch.file("x")],
        ] {
            let missing = try CLIRunner.run(arguments, environment: Self.noDirectory)
            #expect(missing.status == 64, "\(arguments)")
            #expect(missing.stderr == "error: --dir is required (or set DBPKI_DIR) (see --help)\n", "\(arguments)")
        }
        let nothing = try CLIRunner.run(["audit"], environment: Self.noDirectory)
        #expect(
            nothing.status == 64 && nothing.stderr.contains("nothing to audit") && nothing.stderr.contains("DBPKI_DIR"))
        let help = try CLIRunner.run(["issue", "--help"], environment: ["COLUMNS": "200"])
        #expect(
            help.stdout.contains(
                "--dir <dir>             The PKI directory (default: the environment variable DBPKI_DIR)."))
    }

    @Test("--quiet prints nothing on success, and errors still reach stderr", arguments: backends)
    func quiet(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let engine = ["--backend", backend]
        let runs: [[String]] = [
            ["init", "--dir", pki, "--name", "Quiet CA"],
            ["issue", "db1", "--dir", pki, "--dns", "db1.example.com"],
            ["renew", "db1", "--dir", pki],
            ["renew", "--expiring-within", "1", "--dir", pki],
            ["bundle", "mongodb", "db1", "--dir", pki, "--out", scratch.file("out")],
            ["bundle", "redis", "db1", "--dir", pki, "--out", scratch.file("out")],
            ["revoke", "db1", "--dir", pki],
            ["crl", "--dir", pki, "--out", scratch.file("pki.crl"), "--no-reasons"],
            ["doctor", "--dir", pki],
            ["verify", "chain", pki + "/issued/db1.crt", "--trust", pki + "/ca.crt"],
            ["verify", "bundle", scratch.file("out/MongoDB-CA.crt")],
            ["ca", "rollover", "--dir", pki],
            ["ca", "retire-old", "--dir", pki],
        ]
        for (index, arguments) in runs.enumerated() {
            let flag = index.isMultiple(of: 2) ? "--quiet" : "-q"
            let outcome = try CLIRunner.run(arguments + engine + [flag])
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "\(arguments) \(flag) printed \(outcome.stdout)")
        }
        #expect(FileManager.default.fileExists(atPath: scratch.file("pki.crl")))
        let refused = try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "-q"] + engine)
        #expect(refused.status == 73 && refused.stdout.isEmpty && refused.stderr.hasPrefix("error: "))
        let invalid = try CLIRunner.run([
            "verify", "chain", pki + "/issued/db1.crt", "--trust", pki + "/ca.crt", "--host", "x.example.com", "-q",
        ])
        #expect(invalid.status == 1 && invalid.stderr.contains("hostname-mismatch"))
        // --json still prints with --quiet: a script that always passes -q can still ask for the record.
        let both = try CLIRunner.run(["issue", "db2", "--dir", pki, "--client", "-q", "--json"] + engine)
        #expect(try jsonObject(both)["name"] as? String == "db2")
    }

    @Test("audit of an empty folder, or of files without certificates, is unknown (exit 3), and says so")
    func auditOfNothing() throws {
        let scratch = try ScratchFolder()
        let empty = scratch.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        let table = try CLIRunner.run(["audit", empty])
        #expect(table.status == 3)
        #expect(table.stderr.contains("no certificate found in any input"))
        let json = try CLIRunner.run(["audit", empty, "--format", "json"])
        #expect(json.status == 3)
        let summary = try #require(try jsonObject(json)["summary"] as? [String: Any])
        #expect(summary["exit_status"] as? Int == 3 && summary["certificates"] as? Int == 0)
        try "key material is skipped, not read\n".write(
            toFile: scratch.file("empty/server.key"), atomically: true, encoding: .utf8)
        let prometheus = try CLIRunner.run(["audit", empty, "--format", "prometheus"])
        #expect(prometheus.status == 3 && prometheus.stdout.contains("dbpki_audit_exit_status 3"))
    }

    @Test(
        "an unknown option is reported before any complaint about the values",
        arguments: [
            ["issue", "inter", "--dir", "pki", "--ca"],
            ["issue", "db1", "--dns", "10.0.0.1", "--bogus"],
            ["init", "--name", " ", "--bogus"],
            ["renew", "--bogus"],
            ["revoke", "--bogus"],
            ["crl", "--out", "x.crl", "--days", "0", "--bogus"],
            ["ca", "rollover", "--days", "0", "--bogus"],
            ["list", "--bogus"],
            ["doctor", "--bogus"],
            ["bundle", "mongodb", "db1", "--out", "o", "--mongodb-version", "3.6", "--bogus"],
            ["bundle", "redis", "db1", "--out", "o", "--tls-port", "0", "--bogus"],
            ["audit", "--bogus"],
            ["verify", "chain", "a.crt", "--trust", "b.crt", "--host", "10.0.0.1", "--bogus"],
            ["verify", "bundle", "a.zip", "--host", "db1.example.com", "--bogus"],
        ])
    func unknownOptionFirst(arguments: [String]) throws {
        let outcome = try CLIRunner.run(arguments, environment: Self.noDirectory)
        let flag = arguments.last!
        #expect(outcome.status == 64)
        #expect(outcome.stderr.hasPrefix("error: Unknown option '\(flag)'"), "\(outcome.stderr)")
    }

    @Test("validation errors keep their text and exit 64 when every option is known")
    func validationStillReported() throws {
        let outcome = try CLIRunner.run(["issue", "inter", "--dir", "pki"], environment: Self.noDirectory)
        #expect(outcome.status == 64)
        let message = "a server certificate needs at least one --dns or --ip (clients connect by these names)"
        #expect(outcome.stderr == "error: \(message) (see --help)\n")
        // A check that throws PKIError reads as it did from validate(): "(see --help)", exit 64.
        let version = try CLIRunner.run([
            "bundle", "mongodb", "db1", "--dir", "pki", "--out", "o", "--mongodb-version", "3.6",
        ])
        let refusal = "MongoDB 3.6 is not supported: TLS/SSL bundles need MongoDB 4.0 or later (upgrade 3.6 first)"
        #expect(version.status == 64 && version.stderr == "error: \(refusal) (see --help)\n")
        let peer = try CLIRunner.run(["verify", "chain", "a.crt", "--trust", "b.crt", "--host", "10.0.0.1"])
        #expect(
            peer.status == 64 && peer.stderr == "error: '10.0.0.1' is an IP address: use --ip 10.0.0.1 (see --help)\n")
    }
}
