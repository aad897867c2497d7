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
    func snapshot(_ path: String) -> [String: Data] {
        var files = [String: Data]()
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let file = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = path + "/" + file
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[file] = FileManager.default.contents(atPath: full) ?? Data()
            }
        }
        return files
    }

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
        arguments: ["init-intermediate.after-journal", "init-intermediate.after-move-1"])
    func crashAfterCommit(point: String) throws {
        let scratch = try ScratchFolder()
        let root = scratch.file("root")
        let sub = scratch.file("sub")
        try succeed(["init", "--dir", root, "--name", "Test Root"])
        let killed = try CLIRunner.run(
            ["init", "--dir", sub, "--name", "Sub", "--parent", root], environment: ["DBPKI_FAILPOINT": point])
        #expect(killed.killedBySignal && killed.status == SIGKILL, "\(killed.stderr)")
        try succeed(["doctor", "--dir", root])
        try succeed(["doctor", "--dir", sub])
        try succeed(["issue", "db1", "--dir", sub, "--dns", "db1.example.com"])
        let listed = try succeed(["list", "--dir", root])
        #expect(listed.stdout.contains("Sub"))
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
}
