import DBPKITestSupport
import Foundation
import Testing

func mode(of path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

@Suite("dbpki init, issue, bundle and inspect, as a user runs them")
struct PKICommandsCLITests {
    static let backends = ["openssl", "gnutls"]

    @Test("init makes a CA with a private key file, and never overwrites it", arguments: backends)
    func initMakesACA(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let made = try CLIRunner.run(["init", "--dir", pki, "--name", "Example DB CA", "--backend", backend])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("CN=Example DB CA"))
        #expect(try mode(of: pki + "/ca.key") == 0o600)
        #expect(try String(contentsOfFile: pki + "/ca.key", encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(!made.stdout.contains("PRIVATE KEY"))
        let before = try Data(contentsOf: URL(fileURLWithPath: pki + "/ca.crt"))
        let again = try CLIRunner.run(["init", "--dir", pki, "--name", "Other", "--backend", backend])
        #expect(again.status >= 64)
        #expect(again.stderr.hasPrefix("error: ") && again.stderr.contains("refusing to overwrite"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: pki + "/ca.crt")) == before)
    }

    @Test("a PKI made by one engine issues on the other", arguments: backends)
    func directoriesAreInterchangeable(backend: String) throws {
        let other = backend == "openssl" ? "gnutls" : "openssl"
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        #expect(
            try CLIRunner.run(["init", "--dir", pki, "--name", "CA", "--key-type", "rsa-2048", "--backend", backend])
                .status == 0)
        let issued = try CLIRunner.run([
            "issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--ip", "10.0.0.5", "--ip", "fd00::5",
            "--key-type", "ed25519", "--backend", other,
        ])
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(try mode(of: pki + "/issued/db1.key") == 0o600)
        let verified = try CLIRunner.run([
            "verify", "chain", pki + "/issued/db1.crt", "--trust", pki + "/ca.crt", "--ip", "fd00::5", "--backend",
            "both",
        ])
        #expect(verified.status == 0, "\(verified.stderr)")
        let json = try CLIRunner.run(["inspect", pki + "/issued/db1.crt", "--json", "--backend", backend])
        let record = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["certificates"]
                as? [[String: Any]])
        #expect(
            record.first?["subject_alt_names"] as? [String] == ["DNS:db1.example.com", "IP:10.0.0.5", "IP:fd00::5"])
        #expect(record.first?["extended_key_usage"] as? [String] == ["serverAuth"])
        #expect(record.first?["key"] as? String == "Ed25519")
    }

    @Test("issue refuses bad names and a second certificate of the same name")
    func issueRefusesBadInput() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        _ = try CLIRunner.run(["init", "--dir", pki, "--name", "CA"])
        let refusals: [([String], String)] = [
            (["issue", "db1", "--dir", pki, "--dns", "10.0.0.1"], "use --ip"),
            (["issue", "db1", "--dir", pki, "--ip", "db1.example.com"], "use --dns"),
            (["init", "--dir", scratch.file("other"), "--name", "CA", "--key-type", "rsa-1024"], "rsa-2048 rsa-3072"),
            (["issue", "db1", "--dir", pki], "at least one --dns or --ip"),
            (["issue", "../escape", "--dir", pki, "--dns", "x.example.com"], "not a usable name"),
            (["issue", "db1", "--dir", pki, "--dns", "bad name"], "not a valid DNS name"),
            (["issue", "db1", "--dir", scratch.file("nothing"), "--dns", "x.example.com"], "dbpki init"),
        ]
        for (arguments, hint) in refusals {
            let outcome = try CLIRunner.run(arguments)
            #expect(outcome.status >= 64, "\(arguments)")
            #expect(
                outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains(hint), "\(arguments): \(outcome.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: pki + "/issued/db1.crt"))
        #expect(try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"]).status == 0)
        let again = try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"])
        #expect(again.status >= 64 && again.stderr.contains("--force"))
        #expect(try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--force"]).status == 0)
    }

    @Test("a leaf never outlives its CA")
    func leafIsCappedAtTheCA() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        _ = try CLIRunner.run(["init", "--dir", pki, "--name", "Short CA", "--days", "30"])
        _ = try CLIRunner.run(["issue", "app", "--dir", pki, "--client", "--days", "825"])
        let ca = try CLIRunner.run(["inspect", pki + "/ca.crt", "--json"])
        let leaf = try CLIRunner.run(["inspect", pki + "/issued/app.crt", "--json"])
        func notAfter(_ text: String) throws -> String? {
            ((try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["certificates"]
                as? [[String: Any]])?.first?["not_after"] as? String
        }
        #expect(try notAfter(leaf.stdout) == notAfter(ca.stdout))
    }

    @Test("bundles write exactly the contract's files, with keys 0600", arguments: backends)
    func bundlesWriteTheContractFiles(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        _ = try CLIRunner.run(["init", "--dir", pki, "--name", "CA", "--backend", backend])
        _ = try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--backend", backend])
        _ = try CLIRunner.run(["issue", "app", "--dir", pki, "--client", "--backend", backend])
        let mongo = scratch.file("mongo")
        #expect(
            try CLIRunner.run(["bundle", "mongodb", "db1", "--dir", pki, "--out", mongo, "--backend", backend]).status
                == 0)
        #expect(
            Set(try FileManager.default.subpathsOfDirectory(atPath: mongo))
                == ["MongoDB-CA.crt", "server", "server/db1.pem", "server/ca.crt", "server/mongod.conf"])
        #expect(try mode(of: mongo + "/server/db1.pem") == 0o600)
        let redis = scratch.file("redis")
        let made = try CLIRunner.run([
            "bundle", "redis", "db1", "--dir", pki, "--out", redis, "--client-cert", "app", "--backend", backend,
        ])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(
            Set(try FileManager.default.subpathsOfDirectory(atPath: redis))
                == [
                    "db1-crt.zip", "server", "server/db1.crt", "server/db1.key", "server/ca.crt",
                    "server/redis-tls.conf",
                ])
        #expect(try mode(of: redis + "/server/db1.key") == 0o600)
        #expect(try mode(of: redis + "/db1-crt.zip") == 0o600)
        let inspected = try CLIRunner.run(["inspect", redis + "/db1-crt.zip", "--backend", backend])
        #expect(inspected.status == 0)
        #expect(inspected.stdout.contains("db1-crt.zip!ca.crt") && inspected.stdout.contains("db1-crt.zip!app.crt"))
        #expect(!inspected.stdout.contains("PRIVATE KEY"))
        let conf = try String(contentsOfFile: redis + "/server/redis-tls.conf", encoding: .utf8)
        #expect(conf.contains("port 0\ntls-port 6379\n") && conf.contains("tls-auth-clients yes"))
        #expect(conf.contains("tls-key-file \(redis)/server/db1.key"))
    }

    @Test("a client certificate cannot be bundled as a server, nor a server as a client")
    func rolesAreChecked() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        _ = try CLIRunner.run(["init", "--dir", pki, "--name", "CA"])
        _ = try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"])
        _ = try CLIRunner.run(["issue", "app", "--dir", pki, "--client"])
        let asServer = try CLIRunner.run(["bundle", "mongodb", "app", "--dir", pki, "--out", scratch.file("o1")])
        #expect(asServer.status >= 64 && asServer.stderr.contains("not a server certificate"))
        let asClient = try CLIRunner.run([
            "bundle", "redis", "db1", "--dir", pki, "--out", scratch.file("o2"), "--client-cert", "db1",
        ])
        #expect(asClient.status >= 64 && asClient.stderr.contains("not a client certificate"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("o1")))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("o2")))
        for old in ["3.6", "2.4"] {
            let refused = try CLIRunner.run([
                "bundle", "redis", "db1", "--dir", pki, "--out", scratch.file("o3"), "--redis-version", old,
            ])
            #expect(refused.status >= 64 && refused.stderr.hasPrefix("error: "))
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file("o3")))
    }

    @Test("verify bundle passes what bundle writes and names each problem in what it must not ship")
    func verifyBundleFollowsTheContract() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        _ = try CLIRunner.run(["init", "--dir", pki, "--name", "CA"])
        _ = try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--ip", "10.0.0.5"])
        _ = try CLIRunner.run(["issue", "app", "--dir", pki, "--client"])
        _ = try CLIRunner.run([
            "bundle", "redis", "db1", "--dir", pki, "--out", scratch.file("r"), "--client-cert", "app",
        ])
        _ = try CLIRunner.run(["bundle", "mongodb", "db1", "--dir", pki, "--out", scratch.file("m")])
        let zip = try CLIRunner.run([
            "verify", "bundle", scratch.file("r/db1-crt.zip"), "--server-cert", pki + "/issued/db1.crt", "--ip",
            "10.0.0.5", "--backend", "both",
        ])
        #expect(zip.status == 0, "\(zip.stderr)")
        #expect(zip.stdout.hasPrefix("fit to ship: ") && zip.stdout.contains("client certificate app.crt"))
        let serverFile = try CLIRunner.run(["verify", "bundle", scratch.file("m/server/db1.pem")])
        #expect(serverFile.status == 1)
        #expect(serverFile.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("unfit: ") })
        #expect(serverFile.stderr.contains("private key of the server certificate"))
        #expect(!serverFile.stderr.contains("-----BEGIN"))
        let usage = try CLIRunner.run([
            "verify", "bundle", scratch.file("m/MongoDB-CA.crt"), "--host", "db1.example.com",
        ])
        #expect(usage.status == 64 && usage.stderr.hasPrefix("error: "))
        let missing = try CLIRunner.run(["verify", "bundle", scratch.file("nothing.zip")])
        #expect(missing.status == 66 && missing.stderr.hasPrefix("error: "))
    }
}
