import ArgumentParser
import DBPKI
import Foundation

@main
struct DBPKICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dbpki",
        abstract: "A certificate authority and PKI toolkit for database TLS (MongoDB, Redis).",
        discussion: """
            dbpki makes and checks the TLS material a managed database service hands out. Every operation runs on \
            OpenSSL or GnuTLS (--backend), and verification can ask both engines and report where they disagree.

            For scripts: --dir defaults to the environment variable DBPKI_DIR; the commands that report what \
            they did take --json (one JSON object on stdout, with the key names of 'dbpki list --json') and \
            --quiet; every command's --help ends with the exit statuses it uses.

            Example:
              dbpki verify chain server.crt --trust ca.crt --untrusted intermediate.crt --host db1.example.com

            """ + "\n" + ExitStatus.overview + "\n" + ExitStatus.help(""),
        version: DBPKIVersion.text,
        subcommands: [
            InitCommand.self, IssueCommand.self, SignCommand.self, RenewCommand.self, CACommand.self, ListCommand.self,
            RevokeCommand.self, CRLCommand.self, DoctorCommand.self, BundleCommand.self, ExportCommand.self,
            InspectCommand.self,
            AuditCommand.self, VerifyCommand.self, VersionCommand.self,
        ]
    )

    /// Runs the command line with dbpki's error contract: one `error:` line on
    /// stderr and an exit code of 64 or more for usage and input errors.
    static func main() {
        // A peer that closes while we write must be an error on that write (EPIPE), not the end of the
        // process: `audit --probe` of a server that accepts and hangs up would otherwise die with nothing
        // reported. The probe's own writes already pass MSG_NOSIGNAL; this also covers any other socket.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            // After parsing, so that an unknown option is reported before a complaint about a value.
            do { try (command as? CheckedCommand)?.check() } catch let error as PKIError {
                // A check is about usage: "(see --help)", exit 64.
                throw ValidationError(CLIOutput.sentence(for: error))
            }
            try command.run()
        } catch let error as PKIError {
            CLIOutput.fail(error)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }  // --help, --version
            // ArgumentParser may list choices on further lines; the contract wants one line.
            let parts = message(for: error).split(separator: "\n").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingPrefix("- ")
            }
            let line = parts.filter { !$0.isEmpty }.joined(separator: " ")
            CLIOutput.error("\(line.isEmpty ? "invalid usage" : line) (see --help)")
            Foundation.exit(max(code.rawValue, 64))
        }
    }
}
