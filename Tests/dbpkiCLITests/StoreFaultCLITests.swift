import Foundation
import Testing

/// The stderr lines starting `error:`.
func errorLines(_ outcome: CLIRunner.Outcome) -> [Substring] {
    outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
}

@Suite("A damaged PKI, planted links, a full disk and failing renames: refused or finished, never half done")
struct StoreFaultCLITests {
    static let backends = ["openssl", "gnutls"]

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

}
