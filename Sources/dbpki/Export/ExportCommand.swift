import ArgumentParser

/// `dbpki export`: a certificate and its key in a format other software imports.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an issued certificate with its key in a format other software imports.",
        discussion: """
            Example:
              dbpki export pkcs12 app --dir pki --out app.p12 --password-file pass.txt

            """ + ExitStatus.help("export"),
        subcommands: [ExportPKCS12Command.self]
    )
}
