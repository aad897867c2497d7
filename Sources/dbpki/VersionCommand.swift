import ArgumentParser
import DBPKI

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print dbpki's version and the versions of both linked crypto engines.",
        discussion: """
            Example:
              $ dbpki version
              dbpki 0.1.0
              openssl: OpenSSL 3.0.19 27 Jan 2026
              gnutls: GnuTLS 3.7.9
            """
    )

    func run() throws {
        print("dbpki \(DBPKIVersion.text)")
        for backend in EngineChoice.allCases.map({ $0.makeBackend() }) {
            print("\(backend.engine): \(backend.libraryVersion)")
        }
    }
}
