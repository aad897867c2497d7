import ArgumentParser
import DBPKI

struct CARetireOldCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "retire-old",
        abstract: "Take the old CA out of the bundles once nothing active is signed by it.",
        discussion: """
            Ends a rollover: PKI/ca-old.crt and ca-old.key move to PKI/history/ca-SERIAL.crt and .key, the old CA \
            is marked retired, and bundles written from now on carry only the new CA. Hand the new-only bundle to \
            clients after this.

            Refuses (exit 1) while active certificates are still signed by the old CA, listing them on stdout: \
            renew them first (dbpki renew NAME). --force retires it anyway; those certificates then fail for every \
            client that has only the new CA.

            Example:
              $ dbpki ca retire-old --dir pki
              db1     server  serial 5a1e...  not after 2029-02-27T22:45:16Z
              error: 1 active certificate is still signed by the old CA 'CN=Example DB CA': renew it first (dbpki renew NAME) or use --force

            --json prints one object, retired or refused: retired (true or false), old_ca (its record, with the \
            keys of 'dbpki list --json'), still_on_old_ca (names) and files (the paths the old CA's files moved \
            to; empty when refused).

            """ + ExitStatus.help("ca retire-old")
    )

    @OptionGroup var pki: PKIDirectoryOption

    @Flag(help: "Retire the old CA even though active certificates are still signed by it.")
    var force = false

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws { try pki.check() }

    func run() throws {
        let store = try engine.openStore(try pki.path())
        let directory = store.directory
        switch try store.retireOldCA(force: force) {
        case .refused(let old, let still):
            try report.emit { try Self.object(retired: false, old, still: still, in: directory, files: []) }
            for record in still where !report.json {
                print(
                    "\(record.name)\t\(record.kind.rawValue)\tserial \(record.serial)\tnot after "
                        + RFC3339.format(record.notAfter))
            }
            let how =
                still.allSatisfy(\.isSignedIntermediate)
                ? "roll \(still.count == 1 ? "it" : "them") over first (dbpki ca rollover --dir SUB --parent "
                    + "\(try pki.path())) or use --force"
                : "renew \(still.count == 1 ? "it" : "them") first (dbpki renew NAME"
                    + (still.contains(where: \.isSignedIntermediate)
                        ? "; intermediates: dbpki ca rollover --parent" : "")
                    + ") or use --force"
            CLIOutput.error(
                "\(still.count) active certificate\(still.count == 1 ? " is" : "s are") still signed by the old CA "
                    + "'\(old.subject)': \(how)")
            throw ExitCode(1)
        case .retired(let old, let still):
            let files = [directory.absolute(old.certificatePath)] + (old.keyPath.map { [directory.absolute($0)] } ?? [])
            report.say("retired the old CA '\(old.subject)': bundles carry only the current CA from now on")
            report.say("  \(files[0])")
            if files.count > 1 { report.say("  \(files[1]) (0600)") }
            try report.emit { try Self.object(retired: true, old, still: still, in: directory, files: files) }
            if !still.isEmpty {
                CLIOutput.stderr(
                    "warning: still signed by the retired CA, and no longer trusted by new bundles: "
                        + still.map(\.name).joined(separator: ", "))
            }
        }
    }

    /// The `--json` object, retired or refused.
    static func object(
        retired: Bool, _ old: InventoryRecord, still: [InventoryRecord], in directory: PKIDirectory, files: [String]
    ) throws -> [String: Any] {
        [
            "retired": retired, "old_ca": try ReportOptions.record(old, in: directory, files: []),
            "still_on_old_ca": still.map(\.name), "files": files,
        ]
    }
}
