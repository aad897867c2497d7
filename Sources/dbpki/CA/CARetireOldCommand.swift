import ArgumentParser
import DBPKI

struct CARetireOldCommand: ParsableCommand {
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
            """
    )

    @Option(help: "The PKI directory.", completion: .directory)
    var dir: String

    @Flag(help: "Retire the old CA even though active certificates are still signed by it.")
    var force = false

    @OptionGroup var engine: EngineOptions

    func run() throws {
        let store = try engine.openStore(dir)
        switch try store.retireOldCA(force: force) {
        case .refused(let old, let still):
            for record in still {
                print(
                    "\(record.name)\t\(record.kind.rawValue)\tserial \(record.serial)\tnot after "
                        + RFC3339.format(record.notAfter))
            }
            CLIOutput.error(
                "\(still.count) active certificate\(still.count == 1 ? " is" : "s are") still signed by the old CA "
                    + "'\(old.subject)': renew \(still.count == 1 ? "it" : "them") first (dbpki renew NAME) or use --force"
            )
            throw ExitCode(1)
        case .retired(let old, let still):
            print("retired the old CA '\(old.subject)': bundles carry only the current CA from now on")
            print("  \(store.directory.absolute(old.certificatePath))")
            if let key = old.keyPath { print("  \(store.directory.absolute(key)) (0600)") }
            if !still.isEmpty {
                CLIOutput.stderr(
                    "warning: still signed by the retired CA, and no longer trusted by new bundles: "
                        + still.map(\.name).joined(separator: ", "))
            }
        }
    }
}
