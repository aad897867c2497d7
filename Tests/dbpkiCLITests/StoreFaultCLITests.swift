import DBPKITestSupport
import Foundation
import Testing

/// A tiny tmpfs for tests that need a real full disk; mounting needs root.
final class TinyDisk {
    let path: String

    /// True when this process may mount a tmpfs (root, and the mount works here).
    static let available: Bool = {
        guard getuid() == 0 else { return false }
        guard let probe = try? ScratchFolder(), let disk = try? TinyDisk(at: probe.file("probe")) else { return false }
        withExtendedLifetime(disk) {}
        return true
    }()

    init(at path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard Self.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", path]) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        self.path = path
    }

    deinit { _ = Self.run(["umount", path]) }

    /// Fills the disk with a file (`filler`) so that only `pages` 4 KiB pages stay free.
    func fill(leaving pages: Int) throws {
        unfill()
        var status = statvfs()
        #expect(statvfs(path, &status) == 0)
        let free = Int(status.f_bavail) * Int(status.f_frsize)
        #expect(free > pages * 4096)
        #expect(FileManager.default.createFile(atPath: path + "/filler", contents: Data(count: free - pages * 4096)))
    }

    func unfill() { try? FileManager.default.removeItem(atPath: path + "/filler") }

    private static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? CLIRunner.launch(process)) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

/// Every regular file under `folder` (hidden ones too) with its bytes and mode, for
/// "nothing changed" checks.
func snapshot(_ folder: String) -> [String: String] {
    var files = [String: String]()
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return files }
    while let relative = walker.nextObject() as? String {
        let path = folder + "/" + relative
        var status = stat()
        guard lstat(path, &status) == 0 else { continue }
        if status.st_mode & S_IFMT == S_IFDIR {
            files[relative + "/"] = "folder"
        } else {
            // Mode, size and an FNV-1a hash of the bytes: short enough to read in a failure message.
            let bytes = FileManager.default.contents(atPath: path) ?? Data()
            let hash = bytes.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
            files[relative] = "\(String(status.st_mode & 0o7777, radix: 8)) \(bytes.count) \(String(hash, radix: 16))"
        }
    }
    return files
}

/// The stderr lines starting `error:`.
func errorLines(_ outcome: CLIRunner.Outcome) -> [Substring] {
    outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
}

/// A file of a PKI replaced by the same file of another PKI.
enum Damage: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case foreignCA = "ca.crt"
    case foreignOldCA = "ca-old.crt"
    case foreignServerCertificate = "issued/db1.crt"
    case foreignServerKey = "issued/db1.key"
    case foreignClientCertificate = "issued/app.crt"
    case foreignClientKey = "issued/app.key"

    var testDescription: String { "a foreign \(rawValue)" }
    /// The file the damage replaces, relative to the PKI.
    var file: String { rawValue }
    /// What doctor and bundle say about it.
    var problem: String { file.hasSuffix(".key") ? "does not match its certificate" : "is not the recorded" }
    /// Only the Redis bundle with `--client-cert app` reads the client's files.
    var onlyClient: Bool { file.hasPrefix("issued/app") }
}

@Suite("A damaged PKI, planted links, a full disk and failing renames: refused or finished, never half done")
struct StoreFaultCLITests {
    static let backends = ["openssl", "gnutls"]

    /// A PKI with server db1 and client app (and with `rollover`, an old CA too), plus an
    /// unrelated PKI `other` holding the same names.
    func makePKIs(_ scratch: ScratchFolder, backend: String, rollover: Bool = false) throws -> (String, String) {
        let pki = scratch.file("pki")
        let other = scratch.file("other")
        for (dir, name) in [(pki, "CA"), (other, "Other CA")] {
            try succeed(["init", "--dir", dir, "--name", name, "--backend", backend])
            if rollover && dir == pki { try succeed(["ca", "rollover", "--dir", dir, "--backend", backend]) }
            try succeed(["issue", "db1", "--dir", dir, "--dns", "db1.example.com", "--backend", backend])
            try succeed(["issue", "app", "--dir", dir, "--client", "--backend", backend])
        }
        return (pki, other)
    }

    // MARK: - I/O errors after the journal committed

    @Test(
        "an I/O error after the journal committed says the operation is recorded; the next command finishes it",
        arguments: [
            "issue.move-1:EIO", "issue.move-2:ENOSPC", "issue.sync:EIO", "issue.mark-done:EIO", "renew.move-1:EIO",
        ],
        backends)
    func recordedOperationFinishedLater(point: String, backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA", "--backend", backend])
        let renewing = point.hasPrefix("renew")
        if renewing { try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--backend", backend]) }
        let command =
            renewing
            ? ["renew", "db1", "--dir", pki, "--backend", backend]
            : ["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--backend", backend]

        let failed = try CLIRunner.run(command, environment: ["DBPKI_FAILPOINT": point])
        #expect(failed.status == 74, "\(failed.stderr)")
        let lines = errorLines(failed)
        #expect(lines.count == 1)
        #expect(lines.first?.hasSuffix("(recorded; the next dbpki command will finish it)") == true, "\(lines)")

        let next = try succeed(["list", "--dir", pki, "--backend", backend])
        #expect(next.stderr.contains("finished an interrupted \(renewing ? "renew" : "issue")"), "\(next.stderr)")
        #expect(FileManager.default.fileExists(atPath: pki + "/issued/db1.crt"))
        #expect(FileManager.default.fileExists(atPath: pki + "/issued/db1.key"))
        let doctor = try succeed(["doctor", "--dir", pki, "--backend", backend])
        #expect(doctor.stdout.hasPrefix("ok:") && doctor.stderr.isEmpty)
        if renewing { #expect(try inventory(pki).filter { $0["status"] as? String == "superseded" }.count == 1) }
    }

    @Test("an I/O error after the journal committed that goes away is retried in the same run", arguments: backends)
    func transientFailureRetried(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA", "--backend", backend])
        for (index, point) in ["issue.move-1:EIO", "issue.sync:EIO", "issue.mark-done:ENOSPC"].enumerated() {
            let name = "db\(index)"
            let command = ["issue", name, "--dir", pki, "--dns", "\(name).example.com", "--backend", backend]
            // Failing once, the retry finishes it.
            let issued = try CLIRunner.run(command, environment: ["DBPKI_FAILPOINT": point + ":1"])
            #expect(issued.status == 0 && issued.stderr.isEmpty, "\(point): \(issued.stderr)")
            #expect(try succeed(["list", "--dir", pki]).stderr.isEmpty, "\(point): nothing is left to finish")
            // Failing twice (the step and its retry), it is left to the next command.
            let forced = try CLIRunner.run(command + ["--force"], environment: ["DBPKI_FAILPOINT": point + ":2"])
            #expect(forced.status == 74 && forced.stderr.contains("(recorded;"), "\(point): \(forced.stderr)")
            #expect(try succeed(["list", "--dir", pki]).stderr.contains("finished an interrupted issue"))
        }
        #expect(try succeed(["doctor", "--dir", pki]).stdout.hasPrefix("ok: 1 CA and 6 certificates"))
    }

    // MARK: - symbolic links

    @Test(
        "a symbolic link planted inside the PKI is refused, nothing goes through it, and doctor names it",
        arguments: [".staging", "history", "issued"])
    func plantedLinkInsidePKI(entry: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let outside = scratch.file("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try succeed(["init", "--dir", pki, "--name", "CA"])
        try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"])
        let link = pki + "/" + entry
        let target = entry == "issued" ? outside + "/issued" : outside
        if entry == "issued" {
            try FileManager.default.moveItem(atPath: link, toPath: target)
        } else {
            try? FileManager.default.removeItem(atPath: link)
        }
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let before = snapshot(outside)

        let command =
            entry == "history"
            ? ["renew", "db1", "--dir", pki] : ["issue", "db2", "--dir", pki, "--dns", "db2.example.com"]
        let refused = try CLIRunner.run(command)
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(
            errorLines(refused) == [
                "error: \(link) is a symbolic link (to \(target)); dbpki does not follow links inside a PKI directory: replace it with a real folder or file"
            ])
        #expect(snapshot(outside) == before)

        let doctor = try CLIRunner.run(["doctor", "--dir", pki])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.hasPrefix("\(entry): is a symbolic link (to \(target))"), "\(doctor.stdout)")
        #expect(snapshot(outside) == before)

        try FileManager.default.removeItem(atPath: link)
        if entry == "issued" { try FileManager.default.moveItem(atPath: target, toPath: link) }
        try succeed(command)
        #expect(try succeed(["doctor", "--dir", pki]).stdout.hasPrefix("ok:"))
    }

    @Test("a dangling link at inventory.sqlite or .lock is refused and creates nothing where it points")
    func danglingInventoryOrLockLink() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA"])
        for entry in ["inventory.sqlite", ".lock"] {
            let kept = scratch.file("kept")
            try FileManager.default.moveItem(atPath: pki + "/" + entry, toPath: kept)
            let target = scratch.file("elsewhere-\(entry)")
            try FileManager.default.createSymbolicLink(atPath: pki + "/" + entry, withDestinationPath: target)
            for command in [["list", "--dir", pki], ["doctor", "--dir", pki]] {
                let refused = try CLIRunner.run(command)
                #expect(refused.status == 65, "\(entry), \(command[0]): \(refused.stderr)")
                #expect(
                    errorLines(refused).first?.hasPrefix("error: \(pki)/\(entry) is a symbolic link (to \(target))")
                        == true)
                #expect(!FileManager.default.fileExists(atPath: target))
            }
            try FileManager.default.removeItem(atPath: pki + "/" + entry)
            try FileManager.default.moveItem(atPath: kept, toPath: pki + "/" + entry)
        }
        #expect(try succeed(["doctor", "--dir", pki]).stdout.hasPrefix("ok:"))
    }

    @Test("a PKI directory given as a symbolic link works")
    func linkedPKIDirectory() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let linked = scratch.file("pki-link")
        try succeed(["init", "--dir", pki, "--name", "CA"])
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: pki)
        try succeed(["issue", "db1", "--dir", linked, "--dns", "db1.example.com"])
        try succeed(["bundle", "mongodb", "db1", "--dir", linked, "--out", scratch.file("out")])
        #expect(FileManager.default.fileExists(atPath: pki + "/issued/db1.crt"))
        #expect(try succeed(["doctor", "--dir", linked]).stdout.hasPrefix("ok: 1 CA and 1 certificate"))
    }

    // MARK: - an inventory that exists is never re-adopted

    @Test(
        "an emptied inventory is an error that names it; revocations and CRL numbers are not silently lost",
        arguments: backends)
    func emptyInventory(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA", "--backend", backend])
        for name in ["db1", "db2"] {
            try succeed(["issue", name, "--dir", pki, "--dns", "\(name).example.com", "--backend", backend])
        }
        try succeed(["revoke", "db1", "--dir", pki])
        try succeed(["crl", "--dir", pki, "--out", scratch.file("1.crl"), "--backend", backend])
        #expect(try succeed(["crl", "--dir", pki, "--out", scratch.file("2.crl")]).stdout.contains("CRL number 2"))
        let inventoryPath = pki + "/inventory.sqlite"
        #expect(truncate(inventoryPath, 0) == 0)

        let commands = [
            ["list", "--dir", pki],
            ["doctor", "--dir", pki],
            ["crl", "--dir", pki, "--out", scratch.file("3.crl")],
            ["bundle", "mongodb", "db2", "--dir", pki, "--out", scratch.file("out")],
            ["issue", "db3", "--dir", pki, "--dns", "db3.example.com"],
        ]
        for command in commands {
            let refused = try CLIRunner.run(command + ["--backend", backend])
            #expect(refused.status == 65, "\(command[0]): \(refused.stderr)")
            let lines = errorLines(refused)
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix("error: the inventory \(inventoryPath) is empty (0 bytes)") == true)
            #expect(refused.stderr.contains("restore it from your backup"))
        }
        #expect(try FileManager.default.attributesOfItem(atPath: inventoryPath)[.size] as? Int == 0)
        for file in ["3.crl", "out", "pki/issued/db3.crt"] {
            #expect(!FileManager.default.fileExists(atPath: scratch.file(file)), "\(file)")
        }
        // Moved aside, as the error says, the files are adopted into a new inventory.
        try FileManager.default.moveItem(atPath: inventoryPath, toPath: inventoryPath + ".empty")
        #expect(try succeed(["list", "--dir", pki]).stderr.contains("adopted"))
    }

    @Test(
        "an inventory that is not SQLite, or an SQLite database without the inventory's tables, is an error",
        arguments: ["not SQLite", "foreign schema"])
    func unusableInventory(kind: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA"])
        let inventoryPath = pki + "/inventory.sqlite"
        try FileManager.default.removeItem(atPath: inventoryPath)
        if kind == "not SQLite" {
            try String(repeating: "this is not a database\n", count: 200).write(
                toFile: inventoryPath, atomically: false, encoding: .utf8)
        } else {
            try FileManager.default.copyItem(
                atPath: CLIRunner.testdata("store/foreign-schema.sqlite"), toPath: inventoryPath)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: inventoryPath))
        let refused = try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"])
        #expect(refused.status == 65, "\(refused.stderr)")
        let what = kind == "not SQLite" ? "is not an SQLite database" : "holds no inventory tables"
        #expect(
            errorLines(refused).first?.hasPrefix("error: the inventory \(inventoryPath) \(what)") == true,
            "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: inventoryPath)) == before)
        #expect(!FileManager.default.fileExists(atPath: pki + "/issued/db1.crt"))
    }

    @Test("kill -9 while a new inventory is being made leaves no inventory, and the next command makes it")
    func killedWhileCreatingTheInventory() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let killed = try CLIRunner.run(
            ["init", "--dir", pki, "--name", "CA"], environment: ["DBPKI_FAILPOINT": "open.after-inventory"])
        #expect(killed.killedBySignal && killed.status == SIGKILL, "\(killed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pki + "/inventory.sqlite"))
        try succeed(["init", "--dir", pki, "--name", "CA"])
        try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"])

        // The same while adopting a directory that has no inventory.
        try FileManager.default.removeItem(atPath: pki + "/inventory.sqlite")
        let adopting = try CLIRunner.run(
            ["list", "--dir", pki], environment: ["DBPKI_FAILPOINT": "open.after-inventory"])
        #expect(adopting.killedBySignal)
        #expect(!FileManager.default.fileExists(atPath: pki + "/inventory.sqlite"))
        #expect(try succeed(["list", "--dir", pki]).stderr.contains("adopted"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: pki).filter { $0.hasPrefix(".inventory") }
        #expect(leftovers.isEmpty)
        #expect(try succeed(["doctor", "--dir", pki]).stdout.hasPrefix("ok: 1 CA and 1 certificate"))
    }
    // MARK: - bundle writes all or nothing

    /// The bundle command for `kind` ("mongodb" or "redis" with a client certificate).
    func bundleCommand(_ kind: String, pki: String, out: String) -> [String] {
        kind == "mongodb"
            ? ["bundle", "mongodb", "db1", "--dir", pki, "--out", out]
            : ["bundle", "redis", "db1", "--dir", pki, "--out", out, "--client-cert", "app", "--backend", "gnutls"]
    }

    @Test(
        "bundle on a full disk fails with nothing written, and leaves an older bundle as it was",
        .enabled(if: TinyDisk.available, "mounting a tmpfs needs root"), arguments: ["mongodb", "redis"])
    func bundleOnAFullDisk(kind: String) throws {
        let scratch = try ScratchFolder()
        let (pki, _) = try makePKIs(scratch, backend: "openssl")
        let disk = try TinyDisk(at: scratch.file("disk"))
        let out = disk.path + "/out"

        // Room for two of the four or five files: the third one fails.
        try disk.fill(leaving: 2)
        let fresh = try CLIRunner.run(bundleCommand(kind, pki: pki, out: out))
        #expect(fresh.status == 74 && fresh.stderr.contains("No space left on device"), "\(fresh.stderr)")
        #expect(errorLines(fresh).count == 1)
        #expect(snapshot(disk.path).keys.sorted() == ["filler"])

        disk.unfill()
        try succeed(bundleCommand(kind, pki: pki, out: out))
        let older = snapshot(out)
        try succeed(["renew", "db1", "--dir", pki])
        try disk.fill(leaving: 2)
        let replacing = try CLIRunner.run(bundleCommand(kind, pki: pki, out: out))
        #expect(replacing.status == 74 && replacing.stderr.contains("No space left on device"), "\(replacing.stderr)")
        #expect(snapshot(out) == older)

        disk.unfill()
        try succeed(bundleCommand(kind, pki: pki, out: out))
        #expect(snapshot(out) != older)
        #expect(snapshot(out).keys.sorted() == older.keys.sorted())
    }

    @Test(
        "bundle failing at any write or rename restores the output directory exactly",
        arguments: ["mongodb", "redis"],
        ["bundle.write-1:ENOSPC", "bundle.write-3:EIO", "bundle.rename-1:EIO", "bundle.rename-4:ENOSPC"])
    func bundleFailingMidway(kind: String, point: String) throws {
        let scratch = try ScratchFolder()
        let (pki, _) = try makePKIs(scratch, backend: "openssl")
        let out = scratch.file("out/nested")
        let environment = ["DBPKI_FAILPOINT": point]

        let fresh = try CLIRunner.run(bundleCommand(kind, pki: pki, out: out), environment: environment)
        #expect(fresh.status == 74 && errorLines(fresh).count == 1, "\(fresh.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out")), "\(snapshot(scratch.file("out")))")

        try succeed(bundleCommand(kind, pki: pki, out: out))
        // Something of the user's own stays too.
        try "notes".write(toFile: out + "/README", atomically: false, encoding: .utf8)
        let older = snapshot(out)
        try succeed(["renew", "db1", "--dir", pki])
        let replacing = try CLIRunner.run(bundleCommand(kind, pki: pki, out: out), environment: environment)
        #expect(replacing.status == 74 && replacing.stderr.contains("left as it was"), "\(replacing.stderr)")
        #expect(snapshot(out) == older)
    }

    @Test(
        "a symbolic link at OUT or OUT/server is refused and nothing is written through it",
        arguments: ["mongodb", "redis"])
    func plantedLinkInOutput(kind: String) throws {
        let scratch = try ScratchFolder()
        let (pki, _) = try makePKIs(scratch, backend: "openssl")
        let outside = scratch.file("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)

        let out = scratch.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: out + "/server", withDestinationPath: outside)
        let server = try CLIRunner.run(bundleCommand(kind, pki: pki, out: out))
        #expect(server.status == 73, "\(server.stderr)")
        #expect(errorLines(server).first?.hasPrefix("error: \(out)/server is a symbolic link (to \(outside))") == true)
        #expect(snapshot(outside).isEmpty)
        #expect(snapshot(out).keys.sorted() == ["server"])

        let linkedOut = scratch.file("linked-out")
        try FileManager.default.createSymbolicLink(atPath: linkedOut, withDestinationPath: outside)
        let whole = try CLIRunner.run(bundleCommand(kind, pki: pki, out: linkedOut))
        #expect(
            whole.status == 73 && whole.stderr.hasPrefix("error: \(linkedOut) is a symbolic link"), "\(whole.stderr)")
        #expect(snapshot(outside).isEmpty)
    }

    // MARK: - bundle checks the files against the inventory

    @Test(
        "bundle refuses a file that is not the one the inventory records, writing nothing", arguments: Damage.allCases,
        backends)
    func bundleRefusesForeignFiles(damage: Damage, backend: String) throws {
        let scratch = try ScratchFolder()
        let (pki, other) = try makePKIs(scratch, backend: backend, rollover: damage == .foreignOldCA)
        let source = other + "/" + (damage == .foreignOldCA ? "ca.crt" : damage.file)
        try FileManager.default.removeItem(atPath: pki + "/" + damage.file)
        try FileManager.default.copyItem(atPath: source, toPath: pki + "/" + damage.file)

        let doctor = try CLIRunner.run(["doctor", "--dir", pki, "--backend", backend])
        #expect(doctor.status == 1 && doctor.stdout.contains("\(damage.file): \(damage.problem)"), "\(doctor.stdout)")

        let out = scratch.file("out")
        let bundles = [
            ["bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--backend", backend],
            ["bundle", "redis", "db1", "--dir", pki, "--out", out, "--client-cert", "app", "--backend", backend],
        ]
        for (index, command) in bundles.enumerated() {
            let outcome = try CLIRunner.run(command)
            if damage.onlyClient && index == 0 {
                // The MongoDB bundle does not read the client's files: it is still made.
                #expect(outcome.status == 0, "\(outcome.stderr)")
                try FileManager.default.removeItem(atPath: out)
                continue
            }
            #expect(outcome.status == 65, "\(command[1]): \(outcome.stderr)")
            let lines = errorLines(outcome)
            #expect(lines.count == 1, "\(outcome.stderr)")
            #expect(lines.first?.hasPrefix("error: \(pki)/\(damage.file): \(damage.problem)") == true, "\(lines)")
            #expect(outcome.stderr.contains("dbpki doctor --dir \(pki)"))
            #expect(!FileManager.default.fileExists(atPath: out), "\(command[1]) wrote \(snapshot(out).keys.sorted())")
        }
    }

    @Test("bundle refuses a revoked server or client certificate", arguments: backends)
    func bundleRefusesRevoked(backend: String) throws {
        let scratch = try ScratchFolder()
        let (pki, _) = try makePKIs(scratch, backend: backend)
        let out = scratch.file("out")
        try succeed(["revoke", "app", "--dir", pki, "--reason", "keyCompromise"])
        let client = try CLIRunner.run([
            "bundle", "redis", "db1", "--dir", pki, "--out", out, "--client-cert", "app", "--backend", backend,
        ])
        #expect(
            client.status == 65 && client.stderr.hasPrefix("error: 'app' serial ") && client.stderr.contains("revoked"))
        try succeed(["revoke", "db1", "--dir", pki])
        let server = try CLIRunner.run(["bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--backend", backend])
        #expect(server.status == 65 && server.stderr.contains("revoked") && server.stderr.contains("dbpki renew db1"))
        #expect(!FileManager.default.fileExists(atPath: out))
        try succeed(["renew", "db1", "--dir", pki, "--backend", backend])
        try succeed(["bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--backend", backend])
    }

}
