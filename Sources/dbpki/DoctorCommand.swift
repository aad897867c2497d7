import ArgumentParser
import DBPKI
import Foundation

struct DoctorCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check a PKI directory's files against its inventory.",
        discussion: """
            First finishes (or undoes) any operation a crash interrupted, as every command does when it opens a \
            PKI directory; then checks: every recorded certificate file is there and is the recorded certificate \
            (same SHA-256 fingerprint); every recorded key is there, mode 0600, and matches its certificate; every \
            .crt and .key file in PKI/, PKI/issued/ and PKI/history/ is recorded; there is one current CA, and \
            ca-old.crt exists only during a rollover; every certificate's issuing CA is recorded; nothing is left \
            in PKI/.staging/; none of PKI/.staging, PKI/history and PKI/issued is a symbolic link (other \
            commands refuse to write through one). Prints one line per problem and exits 1 if there is any, 0 \
            when all agree. The commands that use these files (issue, renew, ca rollover, crl, bundle) run the \
            same per-file check first and refuse (exit 65) what doctor would report. An encrypted key is \
            checked only with its password (--password-file, or DBPKI_PASSWORD_FILE; doctor never prompts); \
            without it doctor notes "encrypted, not checked without the password", which is not a problem.

            Exits 65, like every command, when PKI/inventory.sqlite or PKI/.lock is a symbolic link, or when \
            the inventory exists but is empty, not SQLite or without dbpki's tables: it holds what the files \
            cannot tell (revocations, CRL numbers), so it is never rebuilt from them. Restore it from your \
            backup, or move it aside to start a new one from the files (revoked certificates then count as \
            active again and CRL numbers restart at 1). A PKI without inventory.sqlite is adopted: its files \
            are recorded.

            How dbpki stays consistent: new files are written under PKI/.staging/ first; one inventory transaction \
            records the change and the renames to make; the renames follow; a second transaction marks them done. \
            A crash (even kill -9) at any point leaves either nothing changed (staged files, removed by the next \
            command) or a recorded operation that the next command finishes. An I/O error (a failing rename or \
            sync, a full disk) after the operation was recorded is retried once; if it persists, the command \
            exits 74 saying the operation is recorded and that the next dbpki command will finish it. For tests \
            only, DBPKI_FAILPOINT=NAME (such as issue.after-journal) makes dbpki kill itself at that point, and \
            DBPKI_FAILPOINT=NAME:EIO (or :ENOSPC, such as issue.move-1:EIO) makes that I/O step fail.

            --json prints one object: ok (true when all agree), problems ([{path, problem}]: path absolute, or \
            null for a problem of the whole PKI), notes ([{path, note}]: what was not checked, such as an \
            encrypted key without its password; not problems), cas and certificates (how many the inventory \
            records), directory. --quiet prints nothing when all agree; problems are still listed.

            Examples:
              $ dbpki doctor --dir pki
              ok: 1 CA and 3 certificates; files and inventory agree
              $ DBPKI_DIR=pki dbpki doctor --json | jq -r '.problems[].problem'

            """ + ExitStatus.help("doctor")
    )

    @OptionGroup var pki: PKIDirectoryOption

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    @OptionGroup var password: PasswordOption

    @OptionGroup var keyPassword: KeyPasswordOption

    func check() throws { try pki.check() }

    func run() throws {
        // Never a prompt: an encrypted key is checked only when its password file is given.
        let store = try engine.openStore(
            try pki.path(), strictRecovery: false,
            keyStore: KeyStore(
                newKeys: .plain, password: password.source(prompt: false),
                keyPassword: keyPassword.source(prompt: false)))
        let (findings, notes) = try store.doctorReport()
        let records = try store.inventory.all()
        let cas = records.filter { $0.kind == .ca }.count
        try report.emit {
            [
                "ok": findings.isEmpty, "directory": store.directory.path, "cas": cas,
                "certificates": records.count - cas,
                "notes": notes.map {
                    ["path": $0.path.map(store.directory.absolute) as Any? ?? NSNull(), "note": $0.problem]
                },
                "problems": findings.map { finding -> [String: Any] in
                    [
                        "path": finding.path.map(store.directory.absolute) as Any? ?? NSNull(),
                        "problem": finding.problem,
                    ]
                },
            ]
        }
        if findings.isEmpty {
            report.say(
                "ok: \(cas) CA\(cas == 1 ? "" : "s") and \(records.count - cas) certificate"
                    + "\(records.count - cas == 1 ? "" : "s"); files and inventory agree")
            for note in notes { report.say("note: \(note.description)") }
            return
        }
        if !report.json {
            for finding in findings { print(finding.description) }
        }
        CLIOutput.stderr(
            "\(findings.count) problem\(findings.count == 1 ? "" : "s") in \(store.directory.path)")
        throw ExitCode(1)
    }
}
