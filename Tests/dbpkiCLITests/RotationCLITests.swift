import DBPKITestSupport
import Foundation
import Testing

/// Runs dbpki and expects exit 0.
@discardableResult
func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIRunner.Outcome {
    let outcome = try CLIRunner.run(arguments)
    #expect(
        outcome.status == 0, "dbpki \(arguments.joined(separator: " ")): \(outcome.stderr)",
        sourceLocation: sourceLocation)
    return outcome
}

/// `dbpki list --json` as records.
func inventory(_ pki: String) throws -> [[String: Any]] {
    let listed = try succeed(["list", "--dir", pki, "--json"])
    return try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
}

/// The number of PEM certificates in a file.
func certificateCount(_ path: String) throws -> Int {
    try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "-----BEGIN CERTIFICATE-----").count - 1
}

@Suite("dbpki renew, ca rollover, retire-old, list, revoke and crl, as a user runs them")
struct RotationCLITests {
    static let backends = ["openssl", "gnutls"]

    @Test(
        "a CA rollover: merged bundles, renewals under the new CA, retire-old refusing then succeeding",
        arguments: backends)
    func rolloverStory(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "Example DB CA", "--backend", backend])
        try succeed([
            "issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--ip", "127.0.0.1", "--backend", backend,
        ])
        try succeed(["issue", "app", "--dir", pki, "--client", "--backend", backend])
        let oldCA = try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8)

        let rolled = try succeed(["ca", "rollover", "--dir", pki, "--backend", backend])
        #expect(rolled.stdout.contains("CN=Example DB CA G2"))
        #expect(try String(contentsOfFile: pki + "/ca-old.crt", encoding: .utf8) == oldCA)
        #expect(try mode(of: pki + "/ca.key") == 0o600)
        let again = try CLIRunner.run(["ca", "rollover", "--dir", pki, "--backend", backend])
        #expect(again.status >= 64 && again.stderr.hasPrefix("error: ") && again.stderr.contains("retire-old"))

        // The merged bundle: new CA first, then the old one, in every CA file a bundle writes.
        try succeed(["bundle", "mongodb", "db1", "--dir", pki, "--out", scratch.file("mongo"), "--backend", backend])
        let merged = try String(contentsOfFile: scratch.file("mongo/MongoDB-CA.crt"), encoding: .utf8)
        #expect(try certificateCount(scratch.file("mongo/MongoDB-CA.crt")) == 2)
        #expect(merged.hasPrefix(try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8)))
        #expect(merged.hasSuffix(oldCA))
        #expect(try certificateCount(scratch.file("mongo/server/ca.crt")) == 2)
        try succeed(["bundle", "redis", "db1", "--dir", pki, "--out", scratch.file("redis"), "--backend", backend])
        #expect(try certificateCount(scratch.file("redis/server/ca.crt")) == 2)
        let zip = try succeed(["inspect", scratch.file("redis/db1-crt.zip"), "--json"])
        #expect(zip.stdout.contains("CN=Example DB CA G2") && zip.stdout.contains("\"CN=Example DB CA\""))
        try succeed([
            "verify", "bundle", scratch.file("redis/db1-crt.zip"), "--server-cert", pki + "/issued/db1.crt", "--host",
            "db1.example.com",
        ])
        // A client with the merged bundle trusts the server before and after its renewal.
        try succeed([
            "verify", "chain", pki + "/issued/db1.crt", "--trust", scratch.file("mongo/MongoDB-CA.crt"), "--host",
            "db1.example.com", "--backend", "both",
        ])

        let status = try succeed(["ca", "status", "--dir", pki, "--json", "--backend", backend])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(object["phase"] as? String == "rollover-in-progress")
        #expect(object["still_on_old_ca"] as? [String] == ["app", "db1"])

        let refused = try CLIRunner.run(["ca", "retire-old", "--dir", pki, "--backend", backend])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("app") && refused.stdout.contains("db1"))
        #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.contains("--force"))
        #expect(FileManager.default.fileExists(atPath: pki + "/ca-old.crt"))

        let renewed = try succeed(["renew", "db1", "--dir", pki, "--backend", backend])
        #expect(renewed.stdout.contains("signed by 'CN=Example DB CA G2'"))
        try succeed([
            "verify", "chain", pki + "/issued/db1.crt", "--trust", scratch.file("mongo/MongoDB-CA.crt"), "--host",
            "db1.example.com", "--backend", "both",
        ])
        try succeed(["renew", "app", "--dir", pki, "--reuse-key", "--backend", backend])
        let ready = try succeed(["ca", "status", "--dir", pki, "--backend", backend])
        #expect(ready.stdout.contains("ready to retire"))
        let retired = try succeed(["ca", "retire-old", "--dir", pki, "--backend", backend])
        #expect(retired.stdout.contains("retired the old CA 'CN=Example DB CA'"))
        #expect(!FileManager.default.fileExists(atPath: pki + "/ca-old.crt"))

        try succeed(["bundle", "mongodb", "db1", "--dir", pki, "--out", scratch.file("mongo2"), "--backend", backend])
        #expect(try certificateCount(scratch.file("mongo2/MongoDB-CA.crt")) == 1)
        // The new-only bundle no longer trusts what the old CA signed.
        let oldLeaf = try #require(
            try inventory(pki).first { $0["name"] as? String == "db1" && $0["issuer"] as? String == "CN=Example DB CA" }
        )
        let stale = try CLIRunner.run([
            "verify", "chain", try #require(oldLeaf["certificate_path"] as? String), "--trust",
            scratch.file("mongo2/MongoDB-CA.crt"), "--host", "db1.example.com",
        ])
        #expect(stale.status == 1)
        #expect(try succeed(["doctor", "--dir", pki, "--backend", backend]).stdout.hasPrefix("ok: 2 CAs"))
        let status2 = try succeed(["ca", "status", "--dir", pki])
        #expect(status2.stdout.contains("single CA"))
    }

    @Test("retire-old --force retires the old CA with certificates still on it; without a rollover it is an error")
    func retireForce() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA"])
        let none = try CLIRunner.run(["ca", "retire-old", "--dir", pki])
        #expect(none.status >= 64 && none.stderr.contains("no old CA"))
        try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"])
        try succeed(["ca", "rollover", "--dir", pki, "--name", "CA 2026", "--key-type", "rsa-2048", "--days", "3650"])
        let forced = try succeed(["ca", "retire-old", "--dir", pki, "--force"])
        #expect(forced.stderr.contains("db1"))
        let records = try inventory(pki)
        let cas = records.filter { $0["kind"] as? String == "ca" }
        #expect(Set(cas.compactMap { $0["ca_role"] as? String }) == ["current", "retired"])
        #expect(cas.first { $0["ca_role"] as? String == "current" }?["key"] as? String == "RSA 2048")
        let retired = try #require(cas.first { $0["ca_role"] as? String == "retired" })
        #expect(retired["status"] as? String == "superseded")
        #expect(
            (retired["certificate_path"] as? String)?.hasSuffix("/history/ca-\(retired["serial"] as? String ?? "").crt")
                == true)
        #expect(try succeed(["doctor", "--dir", pki]).status == 0)
        // ca status keeps naming what --force left behind on the retired CA, until it is renewed.
        let status = try succeed(["ca", "status", "--dir", pki])
        #expect(status.stdout.contains("on a retired CA") && status.stdout.contains("db1"))
        try succeed(["renew", "db1", "--dir", pki])
        #expect(!(try succeed(["ca", "status", "--dir", pki]).stdout.contains("on a retired CA")))
    }

    @Test("list --json has the contract's fields; renew keeps names and paths, moves the old certificate to history")
    func listAndRenew() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA", "--days", "400"])
        try succeed([
            "issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--ip", "fd00::5", "--key-type", "ed25519",
        ])
        let before = try #require(try inventory(pki).first { $0["name"] as? String == "db1" })
        let oldKey = try String(contentsOfFile: pki + "/issued/db1.key", encoding: .utf8)
        let renewed = try succeed(["renew", "db1", "--dir", pki, "--backend", "gnutls", "--days", "3000"])
        #expect(renewed.stdout.contains("DNS:db1.example.com, IP:fd00::5"))
        #expect(try String(contentsOfFile: pki + "/issued/db1.key", encoding: .utf8) != oldKey)
        let records = try inventory(pki)
        #expect(records.count == 3)
        for record in records {
            for field in ["name", "kind", "serial", "issuer", "not_after", "status", "fingerprint_sha256"] {
                #expect(record[field] is String, "\(field) in \(record)")
            }
            let serial = try #require(record["serial"] as? String)
            #expect(serial.allSatisfy { $0.isHexDigit && !$0.isUppercase } && !serial.hasPrefix("0"))
            #expect(try RFC3339Check.isValid(record["not_after"] as? String))
        }
        let old = try #require(records.first { $0["serial"] as? String == before["serial"] as? String })
        #expect(old["status"] as? String == "superseded")
        #expect(old["certificate_path"] as? String == pki + "/history/db1-\(before["serial"] as? String ?? "").crt")
        let new = try #require(records.first { $0["name"] as? String == "db1" && $0["status"] as? String == "active" })
        #expect(new["serial"] as? String != before["serial"] as? String)
        #expect(new["sans"] as? [String] == ["DNS:db1.example.com", "IP:fd00::5"])
        #expect(new["key"] as? String == "Ed25519")
        #expect(new["certificate_path"] as? String == pki + "/issued/db1.crt")
        // Never past the CA: 3000 days asked, the CA has 400.
        let ca = try #require(records.first { $0["kind"] as? String == "ca" })
        #expect(new["not_after"] as? String == ca["not_after"] as? String)
        let table = try succeed(["list", "--dir", pki])
        #expect(table.stdout.hasPrefix("NAME") && table.stdout.contains("superseded"))

        let reused = try succeed(["renew", "db1", "--dir", pki, "--reuse-key"])
        #expect(reused.stdout.contains("key kept"))
        let bad = try CLIRunner.run(["renew", "db1", "--dir", pki, "--reuse-key", "--key-type", "rsa-2048"])
        #expect(bad.status == 64 && bad.stderr.hasPrefix("error: "))
        let missing = try CLIRunner.run(["renew", "nope", "--dir", pki])
        #expect(missing.status == 66 && missing.stderr.contains("dbpki issue nope"))
        let neither = try CLIRunner.run(["renew", "--dir", pki])
        #expect(neither.status == 64)
    }

    @Test("renew --expiring-within renews exactly the certificates inside the window", arguments: ["30d", "30"])
    func renewExpiring(window: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA"])
        try succeed(["issue", "soon", "--dir", pki, "--dns", "soon.example.com", "--days", "10"])
        try succeed(["issue", "later", "--dir", pki, "--dns", "later.example.com", "--days", "90"])
        try succeed(["issue", "client", "--dir", pki, "--client", "--days", "29", "--backend", "gnutls"])
        let renewed = try succeed([
            "renew", "--expiring-within", window, "--dir", pki, "--days", "90", "--backend", "gnutls",
        ])
        let lines = renewed.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("renewed client:") == true && lines.last?.hasPrefix("renewed soon:") == true)
        let again = try succeed(["renew", "--expiring-within", window, "--dir", pki])
        #expect(again.stdout.hasPrefix("nothing to renew"))
        let active = try inventory(pki).filter { $0["status"] as? String == "active" && $0["kind"] as? String != "ca" }
        #expect(active.count == 3)
        let badWindow = try CLIRunner.run(["renew", "--expiring-within", "a month", "--dir", pki])
        #expect(badWindow.status == 64)
    }

    @Test("renew --expiring-within asks for a CA rollover when the CA itself ends inside the window")
    func renewExpiringWithAnExpiringCA() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "Short CA", "--days", "20"])
        try succeed(["issue", "soon", "--dir", pki, "--dns", "soon.example.com", "--days", "10"])
        let refused = try CLIRunner.run(["renew", "--expiring-within", "30d", "--dir", pki])
        #expect(refused.status == 64)
        #expect(refused.stderr.hasPrefix("error:") && refused.stderr.contains("ca rollover"))
        #expect(try inventory(pki).filter { $0["name"] as? String == "soon" }.count == 1)
    }

    @Test(
        "a revoked certificate fails verify chain --crl on each engine and both; others still pass", arguments: backends
    )
    func revocationAndCRL(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA", "--backend", backend])
        for name in ["db1", "db2", "db3"] {
            try succeed(["issue", name, "--dir", pki, "--dns", "\(name).example.com", "--backend", backend])
        }
        let db3 = try #require(try inventory(pki).first { $0["name"] as? String == "db3" })
        try succeed(["revoke", "db1", "--dir", pki, "--backend", backend])
        try succeed([
            "revoke", "--serial", try #require(db3["serial"] as? String), "--dir", pki, "--reason", "superseded",
        ])
        let twice = try CLIRunner.run(["revoke", "db1", "--dir", pki])
        #expect(twice.status == 73 && twice.stderr.contains("already revoked"))
        let badReason = try CLIRunner.run(["revoke", "db2", "--dir", pki, "--reason", "certificateHold"])
        #expect(badReason.status == 64 && badReason.stderr.contains("keyCompromise"))

        let crl = scratch.file("pki.crl")
        let args = ["crl", "--dir", pki, "--out", crl, "--backend", backend]
        if backend == "gnutls" {
            // db3 carries a reason (superseded): GnuTLS cannot write it, so dbpki refuses rather than drop it.
            let refused = try CLIRunner.run(args)
            #expect(refused.status == 69 && refused.stderr.contains("--backend openssl"))
            #expect(!FileManager.default.fileExists(atPath: crl))
            try succeed(args + ["--no-reasons"])
        } else {
            let written = try succeed(args)
            #expect(written.stdout.contains("CRL number 1") && written.stdout.contains("2 revoked"))
        }
        for engine in ["openssl", "gnutls", "both"] {
            for (name, valid) in [("db1", false), ("db2", true), ("db3", false)] {
                let outcome = try CLIRunner.run([
                    "verify", "chain", pki + "/issued/\(name).crt", "--trust", pki + "/ca.crt", "--crl", crl, "--host",
                    "\(name).example.com", "--backend", engine,
                ])
                #expect(outcome.status == (valid ? 0 : 1), "\(name) on \(engine): \(outcome.stderr)")
                if !valid { #expect(outcome.stderr.contains("revoked")) }
            }
        }
        // CRL numbers only go up, and --ca old needs a rollover.
        let second = try succeed(["crl", "--dir", pki, "--out", crl, "--no-reasons", "--backend", backend])
        #expect(second.stdout.contains("CRL number 2"))
        let noOld = try CLIRunner.run(["crl", "--dir", pki, "--out", crl, "--ca", "old"])
        #expect(noOld.status == 66)
        try succeed(["ca", "rollover", "--dir", pki, "--backend", backend])
        let oldCRL = try succeed(["crl", "--dir", pki, "--out", scratch.file("old.crl"), "--ca", "old", "--no-reasons"])
        #expect(oldCRL.stdout.contains("CRL number 3") && oldCRL.stdout.contains("signed by 'CN=CA'"))
        let newCRL = try succeed(["crl", "--dir", pki, "--out", scratch.file("new.crl"), "--days", "7"])
        #expect(newCRL.stdout.contains("CRL number 1") && newCRL.stdout.contains("0 revoked"))
    }

    @Test("parallel dbpki issue processes on one PKI are serialised by the lock")
    func parallelIssues() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA"])
        let count = 12
        let outcomes = Mutex<[Int: CLIRunner.Outcome]>([:])
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let outcome = try? CLIRunner.run([
                "issue", "db\(index)", "--dir", pki, "--dns", "db\(index).example.com", "--backend",
                index % 2 == 0 ? "openssl" : "gnutls",
            ])
            outcomes.withLock { $0[index] = outcome }
        }
        let results = outcomes.withLock { $0 }
        #expect(results.count == count)
        for (index, outcome) in results { #expect(outcome.status == 0, "db\(index): \(outcome.stderr)") }
        let records = try inventory(pki).filter { $0["kind"] as? String == "server" }
        #expect(records.count == count)
        #expect(Set(records.compactMap { $0["serial"] as? String }).count == count)
        #expect(try succeed(["doctor", "--dir", pki]).stdout.contains("\(count) certificates"))
    }

    @Test("a command waits for the lock, then gives up with one error line after DBPKI_LOCK_TIMEOUT")
    func lockTimeout() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA"])
        let fd = open(pki + "/.lock", O_RDWR)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        let blocked = try CLIRunner.run(
            ["issue", "db1", "--dir", pki, "--dns", "db1.example.com"], environment: ["DBPKI_LOCK_TIMEOUT": "1"])
        #expect(blocked.status == 74)
        #expect(blocked.stderr.contains("waiting for"))
        #expect(blocked.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }.count == 1)
        #expect(!FileManager.default.fileExists(atPath: pki + "/issued/db1.crt"))
        flock(fd, LOCK_UN)
        try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"])
    }

    @Test("a PKI directory made before the inventory existed is adopted on first use")
    func adoption() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "Legacy CA"])
        try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"])
        try succeed(["issue", "app", "--dir", pki, "--client"])
        // What the previous version left: ca.crt, ca.key, issued/ and nothing else.
        for file in ["inventory.sqlite", ".lock", ".staging"] {
            try? FileManager.default.removeItem(atPath: pki + "/" + file)
        }
        let listed = try succeed(["list", "--dir", pki, "--json", "--backend", "gnutls"])
        #expect(listed.stderr.contains("adopted") && listed.stderr.contains("1 CA and 2 certificates"))
        let records = try inventory(pki)
        #expect(Set(records.compactMap { $0["name"] as? String }) == ["Legacy CA", "db1", "app"])
        #expect(records.first { $0["name"] as? String == "app" }?["kind"] as? String == "client")
        #expect(try succeed(["doctor", "--dir", pki]).status == 0)
        try succeed(["renew", "db1", "--dir", pki])
        try succeed(["ca", "rollover", "--dir", pki])
        #expect(try succeed(["doctor", "--dir", pki]).status == 0)
        // A second open adopts nothing again.
        #expect(try succeed(["list", "--dir", pki]).stderr.isEmpty)
    }

    @Test("doctor finds hand-made damage: a replaced certificate, a deleted key, a foreign key, stray files")
    func doctorFindsDamage() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let other = scratch.file("other")
        try succeed(["init", "--dir", pki, "--name", "CA"])
        try succeed(["init", "--dir", other, "--name", "Other CA"])
        for name in ["db1", "db2", "db3"] {
            try succeed(["issue", name, "--dir", pki, "--dns", "\(name).example.com"])
        }
        try succeed(["issue", "db1", "--dir", other, "--dns", "db1.example.com"])
        #expect(try succeed(["doctor", "--dir", pki]).stdout.hasPrefix("ok:"))

        let manager = FileManager.default
        try manager.removeItem(atPath: pki + "/issued/db1.crt")
        try manager.copyItem(atPath: other + "/issued/db1.crt", toPath: pki + "/issued/db1.crt")
        try manager.removeItem(atPath: pki + "/issued/db2.key")
        try manager.removeItem(atPath: pki + "/issued/db3.key")
        try manager.copyItem(atPath: other + "/issued/db1.key", toPath: pki + "/issued/db3.key")
        try manager.copyItem(atPath: other + "/ca.crt", toPath: pki + "/issued/stray.crt")
        for backend in Self.backends {
            let checked = try CLIRunner.run(["doctor", "--dir", pki, "--backend", backend])
            #expect(checked.status == 1)
            let lines = checked.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("issued/db1.crt: is not the recorded server 'db1'") })
            #expect(lines.contains { $0.hasPrefix("issued/db2.key: missing") })
            #expect(lines.contains { $0.hasPrefix("issued/db3.key: does not match its certificate") })
            #expect(lines.contains { $0 == "issued/stray.crt: not recorded in the inventory" })
            #expect(lines.count == 4, "\(lines)")
        }
        try manager.removeItem(atPath: pki + "/ca.crt")
        let noCA = try CLIRunner.run(["doctor", "--dir", pki])
        #expect(noCA.status == 1 && noCA.stdout.contains("ca.crt: missing"))
    }
}

/// A mutex over a value, for collecting results from concurrent work.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

enum RFC3339Check {
    static func isValid(_ text: String?) throws -> Bool {
        guard let text else { return false }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text) != nil && text.hasSuffix("Z")
    }
}
