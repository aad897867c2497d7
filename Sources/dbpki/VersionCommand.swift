import ArgumentParser
import DBPKI

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print dbpki's version and the versions of the linked crypto engines.",
        discussion: """
            Without --backend, both engines are listed.

            Example:
              $ dbpki version
              dbpki 0.1.0
              openssl: OpenSSL 3.0.19 27 Jan 2026
              gnutls: GnuTLS 3.7.9

            """ + ExitStatus.help("version")
    )

    @Option(help: "List only this engine: openssl or gnutls.")
    var backend: EngineChoice?

    func run() throws {
        print("dbpki \(DBPKIVersion.text)")
        for engine in backend.map({ [$0] }) ?? EngineChoice.allCases {
            let made = engine.makeBackend()
            print("\(made.engine): \(made.libraryVersion)")
        }
    }
}
