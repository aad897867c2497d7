import ArgumentParser
import DBPKI

struct CAChangePasswordCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "change-password",
        abstract: "Encrypt the CA key under a new password (or encrypt a plain CA key).",
        discussion: """
            Opens PKI/ca.key with its current password (from --password-file, else the file DBPKI_PASSWORD_FILE \
            names, else asked on the terminal; a plain key needs none), encrypts it under the new one (from \
            --new-password-file, else asked twice on the terminal; DBPKI_PASSWORD_FILE is never taken for the new \
            password), checks that the new file opens, and renames it over PKI/ca.key in one step: an \
            interruption leaves the old file or the new one, never half of either. The CA certificate, the \
            inventory and every issued certificate are unchanged. A wrong current password exits 65 and changes \
            nothing.

            --json prints one object: ca (the CA's record, with the keys of 'dbpki list --json') and files \
            ([PKI/ca.key]).

            Example:
              $ dbpki ca change-password --dir pki --password-file old.pass --new-password-file new.pass
              PKI/ca.key is encrypted under the new password

            """ + ExitStatus.help("ca change-password")
    )

    @OptionGroup var pki: PKIDirectoryOption

    @OptionGroup var password: PasswordOption

    @Option(
        help: ArgumentHelp(
            "A file whose first line is the new password (default: asked twice on a terminal).", valueName: "file"),
        completion: .file())
    var newPasswordFile: String?

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws { try pki.check() }

    func run() throws {
        let dir = try pki.path()
        let old = try password.source()
        // The new password is had before the PKI is opened: a refusal changes nothing.
        let new = try PasswordOption.newPassword(file: newPasswordFile, prompt: "New password for the CA key: ")
        let store = try engine.openStore(dir, keyStore: KeyStore(newKeys: .plain, password: old))
        try store.changeCAKeyPassword(to: new)
        report.say("\(store.directory.caKeyPath) is encrypted under the new password")
        try report.emit {
            [
                "ca": try ReportOptions.record(store.inventory.ca(.current), in: store.directory, files: []),
                "files": [store.directory.caKeyPath],
            ]
        }
    }
}
