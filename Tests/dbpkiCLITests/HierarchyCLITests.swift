import DBPKITestSupport
import Foundation
import Testing

@Suite("dbpki init --parent: intermediate CAs, as a user makes them")
struct HierarchyCLITests {
    static let backends = ["openssl", "gnutls"]

    /// Runs a command that must succeed.
    @discardableResult
    func succeed(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIRunner.Outcome {
        let outcome = try CLIRunner.run(arguments, environment: environment)
        #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        return outcome
    }

    /// Every file under `path` with its bytes, to show that a refused command changed nothing.
    func snapshot(_ path: String) -> [String: Data] { FolderContents.files(under: path) }

    @Test(
        "an intermediate made with --parent issues leaves that verify against the root alone, on both engines",
        arguments: backends)
    func intermediateIssues(backend: String) throws {
        let scratch = try ScratchFolder()
        let root = scratch.file("root")
        let sub = scratch.file("sub")
        try succeed(["init", "--dir", root, "--name", "Test Root", "--backend", backend])
        let made = try succeed([
            "init", "--dir", sub, "--name", "Issuing CA 1", "--parent", root, "--subject", "O=Acme", "--backend",
            backend,
        ])
        #expect(made.stdout.contains("created intermediate CA 'CN=Issuing CA 1,O=Acme'"))
        #expect(made.stdout.contains("signed by 'CN=Test Root'"))
        #expect(try mode(of: sub + "/ca.key") == 0o600)
        #expect(
            try String(contentsOfFile: sub + "/root.crt", encoding: .utf8)
                == String(contentsOfFile: root + "/ca.crt", encoding: .utf8))
        let listed = try succeed(["list", "--dir", root, "--json"])
        let records = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(records.filter { $0["kind"] as? String == "ca" }.count == 2)
        #expect(records.contains { $0["name"] as? String == "Issuing CA 1" && $0["status"] as? String == "active" })
        try succeed(["doctor", "--dir", root, "--backend", backend])
        try succeed(["doctor", "--dir", sub, "--backend", backend])
        let json = try succeed(["init", "--dir", sub + "-2", "--name", "Issuing CA 2", "--parent", root, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "ca" && object["issuer"] as? String == "CN=Test Root")
        #expect(
            Set(object["files"] as? [String] ?? []).isSuperset(of: [
                sub + "-2/ca.crt", sub + "-2/ca.key", sub + "-2/root.crt",
            ]))
        try succeed(["issue", "db1", "--dir", sub, "--dns", "db1.example.com", "--backend", backend])
        let verified = try CLIRunner.run([
            "verify", "chain", sub + "/issued/db1.crt", "--untrusted", sub + "/ca.crt", "--trust", root + "/ca.crt",
            "--host", "db1.example.com", "--backend", "both",
        ])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
    }

    @Test("bad parents and path lengths get one error line, their exit status, and nothing written")
    func badInput() throws {
        let scratch = try ScratchFolder()
        let root = scratch.file("root")
        try succeed(["init", "--dir", root, "--name", "Test Root"])
        let leavesOnly = scratch.file("leaves-only")
        try succeed(["init", "--dir", leavesOnly, "--name", "Leaves Only", "--parent", root])
        let taken = scratch.file("taken")
        try succeed(["init", "--dir", taken, "--name", "Taken"])
        try FileManager.default.createDirectory(atPath: scratch.file("empty"), withIntermediateDirectories: true)
        let sub = scratch.file("sub")
        let cases: [([String], Int32, String)] = [
            (["--parent", scratch.file("empty")], 66, "is not a PKI directory"),
            (["--parent", scratch.file("missing")], 66, "is not a PKI directory"),
            (["--parent", leavesOnly], 64, "pathLenConstraint 0"),
            (["--parent", root, "--path-len=-1"], 64, "--path-len must be between 0 and 8"),
            (["--parent", root, "--path-len", "1000"], 64, "--path-len must be between 0 and 8"),
            (["--path-len", "1"], 64, "--path-len needs --parent"),
        ]
        let before = snapshot(scratch.path)
        for (extra, status, hint) in cases {
            let outcome = try CLIRunner.run(["init", "--dir", sub, "--name", "Sub"] + extra)
            #expect(outcome.status == status, "\(extra): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains(hint), "\(extra): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(extra): \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: sub), "\(extra) left \(sub) behind")
        }
        let existing = try CLIRunner.run(["init", "--dir", taken, "--name", "Sub", "--parent", root])
        #expect(existing.status == 73 && existing.stderr.contains("already has a CA"), "\(existing.stderr)")
        #expect(snapshot(scratch.path) == before)
    }

    @Test(
        "init --parent killed after its commit point is finished by the next commands in both directories",
        arguments: [
            ("init-intermediate.after-journal", "sub"), ("init-intermediate.after-move-1", "sub"),
            // A directory sorted before ROOT: its lock is taken first, then ROOT's replay finishes it.
            ("init-intermediate.after-journal", "a-sub"),
        ])
    func crashAfterCommit(point: String, name: String) throws {
        let scratch = try ScratchFolder()
        let root = scratch.file("root")
        let sub = scratch.file(name)
        try succeed(["init", "--dir", root, "--name", "Test Root"])
        let killed = try CLIRunner.run(
            ["init", "--dir", sub, "--name", "Sub", "--parent", root], environment: ["DBPKI_FAILPOINT": point])
        #expect(killed.killedBySignal && killed.status == SIGKILL, "\(killed.stderr)")
        // Run again: opening ROOT finishes the first run, and this one is refused (SUB has its CA now).
        let again = try CLIRunner.run(["init", "--dir", sub, "--name", "Sub", "--parent", root])
        #expect(again.status == 73 && again.stderr.contains("already has a CA"), "\(again.stderr)")
        try succeed(["doctor", "--dir", root])
        try succeed(["doctor", "--dir", sub])
        try succeed(["issue", "db1", "--dir", sub, "--dns", "db1.example.com"])
        let listed = try succeed(["list", "--dir", root])
        #expect(listed.stdout.contains("Sub"))
    }

    @Test("a plain init in a directory its parent is still handing over to is refused, and the parent finishes it")
    func plainInitDuringHandOver() throws {
        let scratch = try ScratchFolder()
        let (root, sub) = (scratch.file("root"), scratch.file("sub"))
        try succeed(["init", "--dir", root, "--name", "Test Root"])
        let killed = try CLIRunner.run(
            ["init", "--dir", sub, "--name", "Sub", "--parent", root],
            environment: ["DBPKI_FAILPOINT": "init-intermediate.after-journal"])
        #expect(killed.killedBySignal, "\(killed.stderr)")
        let plain = try CLIRunner.run(["init", "--dir", sub, "--name", "Other Root"])
        #expect(plain.status == 73 && plain.stderr.contains("interrupted operation of its parent"), "\(plain.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sub + "/inventory.sqlite"))
        try succeed(["doctor", "--dir", root])
        try succeed(["doctor", "--dir", sub])
        #expect(try subjects(sub + "/ca.crt") == ["CN=Sub"])
    }

    @Test("init --parent killed before its commit point leaves the parent unchanged and runs again")
    func crashBeforeCommit() throws {
        let scratch = try ScratchFolder()
        let root = scratch.file("root")
        let sub = scratch.file("sub")
        try succeed(["init", "--dir", root, "--name", "Test Root"])
        let before = snapshot(root)
        let killed = try CLIRunner.run(
            ["init", "--dir", sub, "--name", "Sub", "--parent", root],
            environment: ["DBPKI_FAILPOINT": "init-intermediate.after-stage"])
        #expect(killed.killedBySignal, "\(killed.stderr)")
        #expect(snapshot(root).filter { !$0.key.hasPrefix(".staging/") } == before)
        try succeed(["doctor", "--dir", root])
        try succeed(["init", "--dir", sub, "--name", "Sub", "--parent", root])
        try succeed(["doctor", "--dir", sub])
        #expect((try FileManager.default.contentsOfDirectory(atPath: sub + "/.staging")).isEmpty)
    }

    /// The subjects of the certificates in a PEM file, in order.
    func subjects(_ path: String, backend: String = "openssl") throws -> [String] {
        let json = try succeed(["inspect", path, "--json", "--backend", backend])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        return (object?["certificates"] as? [[String: Any]] ?? []).compactMap { $0["subject"] as? String }
    }

    @Test(
        "in a PKI whose CA is an intermediate, issued files, bundles and downloads carry the contract's chains",
        arguments: backends)
    func chainsEverywhere(backend: String) throws {
        let scratch = try ScratchFolder()
        let (root, sub) = (scratch.file("root"), scratch.file("sub"))
        let be = ["--backend", backend]
        try succeed(["init", "--dir", root, "--name", "Test Root"] + be)
        try succeed(["init", "--dir", sub, "--name", "Issuing CA", "--parent", root] + be)
        try succeed(["issue", "db1", "--dir", sub, "--dns", "db1.example.com"] + be)
        try succeed(["issue", "app", "--dir", sub, "--client"] + be)
        let (rootCA, issuing) = ("CN=Test Root", "CN=Issuing CA")
        #expect(try subjects(sub + "/issued/db1.crt") == ["CN=db1", issuing])
        #expect(try subjects(sub + "/issued/app.crt") == ["CN=app", issuing])
        for engine in Self.backends {
            let verified = try CLIRunner.run([
                "verify", "chain", sub + "/issued/db1.crt", "--trust", root + "/ca.crt", "--host", "db1.example.com",
                "--backend", engine,
            ])
            #expect(verified.status == 0, "\(engine): \(verified.stdout) \(verified.stderr)")
        }

        let mongo = scratch.file("mongo")
        try succeed(["bundle", "mongodb", "db1", "--dir", sub, "--out", mongo] + be)
        #expect(try subjects(mongo + "/MongoDB-CA.crt") == [rootCA, issuing])
        #expect(try subjects(mongo + "/server/ca.crt") == [rootCA, issuing])
        #expect(try subjects(mongo + "/server/db1.pem") == ["CN=db1", issuing])
        #expect(
            try String(contentsOfFile: mongo + "/server/db1.pem", encoding: .utf8).hasSuffix(
                "-----END PRIVATE KEY-----\n"))
        let redis = scratch.file("redis")
        try succeed(["bundle", "redis", "db1", "--dir", sub, "--out", redis, "--client-cert", "app"] + be)
        #expect(try subjects(redis + "/server/db1.crt") == ["CN=db1", issuing])
        #expect(try subjects(redis + "/server/ca.crt") == [rootCA, issuing])
        for (download, server) in [
            (mongo + "/MongoDB-CA.crt", mongo + "/server/db1.pem"), (redis + "/db1-crt.zip", redis + "/server/db1.crt"),
        ] {
            let checked = try CLIRunner.run([
                "verify", "bundle", download, "--server-cert", server, "--host", "db1.example.com", "--backend", "both",
            ])
            #expect(checked.status == 0, "\(download): \(checked.stdout) \(checked.stderr)")
        }
        // A download of the intermediate alone is caught: most clients need the root.
        let alone = try CLIRunner.run(["verify", "bundle", sub + "/ca.crt"])
        #expect(
            alone.status == 1 && (alone.stdout + alone.stderr).contains("no root CA certificate"), "\(alone.stderr)")
        try succeed(["renew", "db1", "--dir", sub] + be)
        #expect(try subjects(sub + "/issued/db1.crt") == ["CN=db1", issuing])
        try succeed(["doctor", "--dir", sub] + be)
    }

    @Test(
        "an intermediate rolls over only under its parent, and a root rollover keeps the intermediate's clients working",
        arguments: backends)
    func rollover(backend: String) throws {
        let scratch = try ScratchFolder()
        let (root, sub) = (scratch.file("root"), scratch.file("sub"))
        let be = ["--backend", backend]
        try succeed(["init", "--dir", root, "--name", "Test Root"] + be)
        try succeed(["init", "--dir", sub, "--name", "Issuing CA", "--parent", root] + be)
        try succeed(["issue", "db1", "--dir", sub, "--dns", "db1.example.com"] + be)
        let before = scratch.file("before")
        try succeed(["bundle", "mongodb", "db1", "--dir", sub, "--out", before] + be)

        let alone = try CLIRunner.run(["ca", "rollover", "--dir", sub] + be)
        #expect(alone.status == 64 && alone.stderr.contains("--parent ROOT"), "\(alone.stderr)")

        // The root rolls over first: the intermediate, signed by the old root, stays valid for its clients.
        try succeed(["ca", "rollover", "--dir", root] + be)
        let refused = try CLIRunner.run(["ca", "retire-old", "--dir", root] + be)
        #expect(
            refused.status == 1 && refused.stderr.contains("roll it over first"),
            "an active intermediate is still signed by the old root: \(refused.stderr)")
        let rolled = try succeed(["ca", "rollover", "--dir", sub, "--parent", root] + be)
        #expect(rolled.stdout.contains("new intermediate CA 'CN=Issuing CA G2'"))
        #expect(rolled.stdout.contains("signed by 'CN=Test Root G2'"))
        try succeed(["issue", "db2", "--dir", sub, "--dns", "db2.example.com"] + be)
        let merged = scratch.file("merged")
        try succeed(["bundle", "mongodb", "db2", "--dir", sub, "--out", merged] + be)
        #expect(
            try subjects(merged + "/MongoDB-CA.crt") == [
                "CN=Test Root G2", "CN=Test Root", "CN=Issuing CA G2", "CN=Issuing CA",
            ])
        #expect(try subjects(sub + "/issued/db2.crt") == ["CN=db2", "CN=Issuing CA G2"])
        for (leaf, download) in [
            ("db1", before + "/MongoDB-CA.crt"), ("db1", merged + "/MongoDB-CA.crt"),
            ("db2", merged + "/MongoDB-CA.crt"),
        ] {
            let verified = try CLIRunner.run([
                "verify", "chain", sub + "/issued/\(leaf).crt", "--trust", download, "--host", "\(leaf).example.com",
                "--backend", "both",
            ])
            #expect(verified.status == 0, "\(leaf) against \(download): \(verified.stdout) \(verified.stderr)")
        }
        // The old intermediate was superseded in the root: the old root can retire.
        try succeed(["ca", "retire-old", "--dir", root] + be)
        try succeed(["renew", "db1", "--dir", sub] + be)
        try succeed(["ca", "retire-old", "--dir", sub] + be)
        let after = scratch.file("after")
        try succeed(["bundle", "mongodb", "db1", "--dir", sub, "--out", after] + be)
        #expect(try subjects(after + "/MongoDB-CA.crt") == ["CN=Test Root G2", "CN=Issuing CA G2"])
        try succeed(["doctor", "--dir", sub] + be)
        try succeed(["doctor", "--dir", root] + be)
    }

    @Test(
        "ca rollover --parent killed at any step leaves both directories as they were or finishes in both",
        arguments: [
            "rollover-intermediate.after-key", "sign-intermediate.after-stage", "sign-intermediate.after-journal",
            "sign-intermediate.after-move-1", "sign-intermediate.after-move-2",
        ])
    func rolloverCrash(point: String) throws {
        let scratch = try ScratchFolder()
        let (root, sub) = (scratch.file("root"), scratch.file("sub"))
        try succeed(["init", "--dir", root, "--name", "Test Root"])
        try succeed(["init", "--dir", sub, "--name", "Issuing CA", "--parent", root])
        try succeed(["issue", "db1", "--dir", sub, "--dns", "db1.example.com"])
        let killed = try CLIRunner.run(
            ["ca", "rollover", "--dir", sub, "--parent", root], environment: ["DBPKI_FAILPOINT": point])
        #expect(killed.killedBySignal && killed.status == SIGKILL, "\(point): \(killed.stderr)")
        let committed = point == "sign-intermediate.after-journal" || point == "sign-intermediate.after-move-1"
        // A command in the intermediate first: refused while the parent still has to hand its inventory over.
        let first = try CLIRunner.run(["issue", "db2", "--dir", sub, "--dns", "db2.example.com"])
        if committed {
            #expect(
                first.status == 73 && first.stderr.contains("interrupted operation of its parent"), "\(first.stderr)")
        } else {
            #expect(first.status == 0, "\(point): \(first.stderr)")
        }
        try succeed(["doctor", "--dir", root])
        try succeed(["doctor", "--dir", sub])
        let status = try succeed(["ca", "status", "--dir", sub]).stdout
        let listed = try succeed(["list", "--dir", root, "--json"]).stdout
        let records = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]])
        let active = records.filter { $0["status"] as? String == "active" }.compactMap { $0["name"] as? String }
        if committed || point == "sign-intermediate.after-move-2" {
            #expect(status.contains("CN=Issuing CA G2"), "\(point): \(status)")
            #expect(active.contains("Issuing CA G2") && !active.contains("Issuing CA"), "\(point): \(active)")
        } else {
            #expect(!status.contains("G2"), "\(point): \(status)")
            #expect(!records.contains { $0["name"] as? String == "Issuing CA G2" }, "\(point): \(records)")
            try succeed(["ca", "rollover", "--dir", sub, "--parent", root])
        }
        try succeed(["issue", "db3", "--dir", sub, "--dns", "db3.example.com"])
        try succeed(["doctor", "--dir", sub])
        try succeed(["doctor", "--dir", root])
    }

    @Test(
        "a lost inventory is adopted from the files: ROOT's intermediates stay active, SUB's CA stays an intermediate")
    func adoption() throws {
        let scratch = try ScratchFolder()
        let (root, sub) = (scratch.file("root"), scratch.file("sub"))
        try succeed(["init", "--dir", root, "--name", "Test Root"])
        try succeed(["init", "--dir", sub, "--name", "Issuing CA", "--parent", root, "--subject", "O=Acme"])
        for pki in [root, sub] { try FileManager.default.removeItem(atPath: pki + "/inventory.sqlite") }
        let listed = try succeed(["list", "--dir", root, "--json"])
        #expect(listed.stderr.contains("adopted"))
        let records = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(
            records.contains {
                $0["name"] as? String == "Issuing CA" && $0["status"] as? String == "active"
                    && $0["kind"] as? String == "ca"
            }, "\(records)")
        try succeed(["doctor", "--dir", root])
        try succeed(["doctor", "--dir", sub])
        let refused = try CLIRunner.run(["ca", "rollover", "--dir", sub])
        #expect(refused.status == 64 && refused.stderr.contains("--parent ROOT"), "\(refused.stderr)")
        let rolled = try succeed(["ca", "rollover", "--dir", sub, "--parent", root])
        #expect(rolled.stdout.contains("signed by 'CN=Test Root'"))
    }
}
