import DBPKITestSupport
import Foundation
import Testing

/// Damaged client zips (`testdata/zips`, made by `make-damaged.py`) through every command
/// that reads zips: each ends at once in an `error:`, an unfit verdict or an unreadable
/// input, never a hang, and no copy of the zip is left on disk.
@Suite("dbpki with damaged zips, as a user runs it")
struct HostileZipCLITests {
    static let backends = ["openssl", "gnutls"]
    static let inWindow = "2030-01-01T00:00:00Z"
    /// Zips whose deflate data is cut short, with what the error must say about the entry.
    static let truncated = [
        ("truncated-only-entry.zip", "ca.crt: cannot be inflated: the compressed data ends before its last block does"),
        ("truncated-last-entry.zip", "other-ca.crt: its data runs into the central directory"),
    ]
    static let crcMismatch = ("crc-mismatch.zip", "ca.crt: its CRC-32 does not match its data")

    static func zip(_ name: String) -> String { CLIRunner.testdata("zips/" + name) }

    /// Runs `inspect`, `verify bundle`, `audit FILE` and `audit --dir FOLDER` (the zip two
    /// folders down) on `name`, expecting each to refuse it with `message`.
    func expectRefusedEverywhere(_ name: String, _ message: String, backend: String) throws {
        let path = Self.zip(name)
        let inspect = try CLIRunner.run(["inspect", path, "--backend", backend], timeout: 20)
        #expect(inspect.status == 65, "inspect \(name): \(inspect.stderr)")
        #expect(inspect.stderr.hasPrefix("error: \(path): \(message)"), "\(inspect.stderr)")
        #expect(inspect.stderr.split(separator: "\n").count == 1 && inspect.stdout.isEmpty)

        let verify = try CLIRunner.run(
            ["verify", "bundle", path, "--at", Self.inWindow, "--backend", backend], timeout: 20)
        #expect(verify.status == 1, "verify bundle \(name): \(verify.stdout) \(verify.stderr)")
        #expect(verify.stderr.contains("unfit: zip: \(message)"), "\(verify.stderr)")
        #expect(verify.stdout.isEmpty)

        let audit = try CLIRunner.run(["audit", path, "--at", Self.inWindow, "--backend", backend], timeout: 20)
        #expect(audit.status == 3, "audit \(name): \(audit.stdout) \(audit.stderr)")
        #expect(audit.stdout.contains("unreadable: \(path): \(message)"), "\(audit.stdout)")

        let scratch = try ScratchFolder()
        try FileManager.default.createDirectory(atPath: scratch.file("a/b"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path, toPath: scratch.file("a/b/" + name))
        let tree = try CLIRunner.run(
            ["audit", "--dir", scratch.path, "--at", Self.inWindow, "--backend", backend], timeout: 20)
        #expect(tree.status == 3, "audit --dir with \(name) inside: \(tree.stdout) \(tree.stderr)")
        #expect(tree.stdout.contains("a/b/\(name): \(message)"), "\(tree.stdout)")
    }

    @Test(
        "a zip whose last or only entry is cut short is refused at once by inspect, verify bundle and audit",
        arguments: backends)
    func truncatedDeflate(backend: String) throws {
        for (name, message) in Self.truncated {
            try expectRefusedEverywhere(name, message, backend: backend)
        }
    }

    @Test("a zip entry whose CRC-32 does not match its data is unfit, an error and unreadable", arguments: backends)
    func crcMismatch(backend: String) throws {
        try expectRefusedEverywhere(Self.crcMismatch.0, Self.crcMismatch.1, backend: backend)
    }

    @Test("inspect and verify bundle leave no copy of a zip in TMPDIR")
    func noTemporaryCopy() throws {
        let scratch = try ScratchFolder()
        let temporary = scratch.file("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        for name in [Self.crcMismatch.0] + Self.truncated.map(\.0) {
            let path = Self.zip(name)
            _ = try CLIRunner.run(["inspect", path], environment: ["TMPDIR": temporary], timeout: 20)
            _ = try CLIRunner.run(
                ["verify", "bundle", path, "--at", Self.inWindow], environment: ["TMPDIR": temporary], timeout: 20)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary) == [])
    }
}
