import DBPKITestSupport
import Foundation
import Testing

/// One kill -9 case: a command killed at one failpoint (DBPKI_FAILPOINT) on one engine.
struct CrashCase: Sendable, CustomTestStringConvertible {
    enum Operation: String, Sendable {
        case initCA = "init"
        case issue, issueForce = "issue --force", renew, renewReuseKey = "renew --reuse-key", rollover, retire
    }

    let operation: Operation
    let point: String
    let backend: String

    var testDescription: String { "\(operation.rawValue) killed at \(point) (\(backend))" }

    /// Steps before the journal commits are undone by the next command; later ones are finished.
    var rollsForward: Bool { !point.hasSuffix(".after-key") && !point.hasSuffix(".after-stage") }

    /// Every failpoint each operation passes, in order.
    static let all: [CrashCase] = {
        let plans: [(Operation, String, [String])] = [
            (.initCA, "init", ["after-key", "after-stage", "after-journal", "after-move-1", "after-move-2", "done"]),
            (.issue, "issue", ["after-key", "after-stage", "after-journal", "after-move-1", "after-move-2", "done"]),
            (
                .issueForce, "issue",
                ["after-key", "after-stage", "after-journal", "after-move-1", "after-move-2", "after-move-3", "done"]
            ),
            (
                .renew, "renew",
                ["after-key", "after-stage", "after-journal", "after-move-1", "after-move-2", "after-move-3", "done"]
            ),
            (
                .renewReuseKey, "renew",
                ["after-key", "after-stage", "after-journal", "after-move-1", "after-move-2", "done"]
            ),
            (
                .rollover, "rollover",
                [
                    "after-key", "after-stage", "after-journal", "after-move-1", "after-move-2", "after-move-3",
                    "after-move-4", "done",
                ]
            ),
            (.retire, "retire", ["after-stage", "after-journal", "after-move-1", "after-move-2", "done"]),
        ]
        var cases = [CrashCase]()
        for (operation, prefix, steps) in plans {
            for (index, step) in steps.enumerated() {
                // Alternate the engines so both run every operation's crash recovery.
                cases.append(
                    CrashCase(
                        operation: operation, point: "\(prefix).\(step)", backend: index % 2 == 0 ? "openssl" : "gnutls"
                    ))
            }
        }
        return cases
    }()
}

@Suite("kill -9 at every step of init, issue, renew, ca rollover and retire-old leaves a consistent PKI")
struct RotationCrashCLITests {
    @Test(
        "the next command finishes or undoes the killed one, doctor is clean, and the PKI still issues",
        arguments: CrashCase.all)
    func killAtFailpoint(crash: CrashCase) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let backend = ["--backend", crash.backend]
        if crash.operation != .initCA { try succeed(["init", "--dir", pki, "--name", "CA"] + backend) }
        if [.issueForce, .renew, .renewReuseKey, .rollover, .retire].contains(crash.operation) {
            try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"] + backend)
        }
        if crash.operation == .retire {
            try succeed(["ca", "rollover", "--dir", pki] + backend)
            try succeed(["renew", "db1", "--dir", pki] + backend)
        }
        let serialBefore = try serialOfDB1(pki)
        let keyBefore = try? String(contentsOfFile: pki + "/issued/db1.key", encoding: .utf8)

        let command: [String]
        switch crash.operation {
        case .initCA: command = ["init", "--dir", pki, "--name", "CA"]
        case .issue, .issueForce:
            command =
                ["issue", "db1", "--dir", pki, "--dns", "db1.example.com"]
                + (crash.operation == .issueForce ? ["--force"] : [])
        case .renew: command = ["renew", "db1", "--dir", pki]
        case .renewReuseKey: command = ["renew", "db1", "--dir", pki, "--reuse-key"]
        case .rollover: command = ["ca", "rollover", "--dir", pki]
        case .retire: command = ["ca", "retire-old", "--dir", pki]
        }
        let killed = try CLIRunner.run(command + backend, environment: ["DBPKI_FAILPOINT": crash.point])
        #expect(killed.killedBySignal && killed.status == SIGKILL, "not killed at \(crash.point): \(killed.stderr)")

        if crash.operation == .initCA && !crash.rollsForward {
            // Nothing was made: init simply runs again.
            try succeed(["init", "--dir", pki, "--name", "CA"] + backend)
        }
        // The next command (doctor, which opens the PKI like any other) repairs; then all must agree.
        let doctor = try CLIRunner.run(["doctor", "--dir", pki] + backend)
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
        #expect(try CLIRunner.run(["doctor", "--dir", pki]).stderr.isEmpty)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: pki + "/.staging")) ?? []
        #expect(leftovers.isEmpty)

        let serialAfter = try serialOfDB1(pki)
        let keyAfter = try? String(contentsOfFile: pki + "/issued/db1.key", encoding: .utf8)
        let oldCAThere = FileManager.default.fileExists(atPath: pki + "/ca-old.crt")
        switch crash.operation {
        case .initCA:
            #expect(FileManager.default.fileExists(atPath: pki + "/ca.crt"))
        case .issue:
            #expect((serialAfter != nil) == crash.rollsForward)
            #expect((keyAfter != nil) == crash.rollsForward)
        case .issueForce, .renew:
            #expect((serialAfter != serialBefore) == crash.rollsForward)
            #expect((keyAfter != keyBefore) == crash.rollsForward)
        case .renewReuseKey:
            #expect((serialAfter != serialBefore) == crash.rollsForward)
            #expect(keyAfter == keyBefore)
        case .rollover:
            #expect(oldCAThere == crash.rollsForward)
        case .retire:
            #expect(oldCAThere != crash.rollsForward)
        }

        // Still usable: issue, verify against the bundle's CAs, and the killed command can run (again).
        try succeed(["issue", "probe", "--dir", pki, "--dns", "probe.example.com"] + backend)
        try succeed(["bundle", "mongodb", "probe", "--dir", pki, "--out", scratch.file("out")])
        try succeed([
            "verify", "chain", pki + "/issued/probe.crt", "--trust", scratch.file("out/MongoDB-CA.crt"), "--host",
            "probe.example.com", "--backend", crash.backend,
        ])
        if crash.operation != .initCA && crash.operation != .issue && !crash.rollsForward {
            try succeed(command + backend)
        }
        #expect(try CLIRunner.run(["doctor", "--dir", pki]).status == 0)
    }

    @Test("an interrupted operation whose staged files were removed by hand blocks commands and doctor reports it")
    func unfinishableOperation() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA"])
        let killed = try CLIRunner.run(
            ["ca", "rollover", "--dir", pki], environment: ["DBPKI_FAILPOINT": "rollover.after-journal"])
        #expect(killed.killedBySignal)
        for file in try FileManager.default.contentsOfDirectory(atPath: pki + "/.staging") {
            try FileManager.default.removeItem(atPath: pki + "/.staging/" + file)
        }
        let blocked = try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"])
        #expect(blocked.status == 74)
        #expect(blocked.stderr.hasPrefix("error: an interrupted rollover") && blocked.stderr.contains("dbpki doctor"))
        #expect(!FileManager.default.fileExists(atPath: pki + "/issued/db1.crt"))
        let doctor = try CLIRunner.run(["doctor", "--dir", pki])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("an interrupted rollover") && doctor.stdout.contains("ca.key"))
    }

    private func serialOfDB1(_ pki: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: pki + "/ca.crt") else { return nil }
        return try inventory(pki).first { $0["name"] as? String == "db1" && $0["status"] as? String == "active" }?[
            "serial"] as? String
    }
}
