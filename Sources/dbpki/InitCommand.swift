import ArgumentParser
import DBPKI

struct InitCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a PKI directory with a new self-signed root CA.",
        discussion: """
            Writes PKI/ca.crt (PEM) and PKI/ca.key (PEM PKCS#8, mode 0600), creating PKI/ if needed. An existing \
            CA is never overwritten. The default is ECDSA P-256, valid 20 years, as managed database services do. \
            The CA is recorded in PKI/inventory.sqlite, which every later command keeps up to date (see dbpki list).

            --subject "O=Acme,OU=Databases" gives the CA a full distinguished name: those attributes (among C, ST, \
            L, O, OU and DC) come first, in the order written, and the CN (--name) last; the subject then prints \
            most specific first, as RFC 4514 does: CN=Example DB CA,OU=Databases,O=Acme.

            --json prints the CA's record, with the keys of 'dbpki list --json' (name, kind, serial, issuer, \
            subject, not_before, not_after, status, fingerprint_sha256, certificate_path, key_path, ...), and \
            files: every path written.

            --encrypt-key writes PKI/ca.key as -----BEGIN ENCRYPTED PRIVATE KEY----- (PBES2: PBKDF2-HMAC-SHA256 \
            at 600,000 iterations, AES-256-CBC; either engine reads what the other wrote). The password is the \
            first line of --password-file FILE, else of the file DBPKI_PASSWORD_FILE names, else it is asked \
            twice on the terminal without echo; with none of these init refuses (exit 64) and writes nothing. It \
            is never taken from the command line. Every command that signs (issue, renew, crl, ca rollover) then \
            asks for it the same way; 'dbpki ca change-password' changes it. A lost password is a lost CA: keep \
            it where the CA's owners can recover it.

            Examples:
              $ dbpki init --dir pki --name "Example DB CA"
              created root CA 'CN=Example DB CA' (EC P-256) in pki, valid until 2046-11-20T12:00:00Z
              $ DBPKI_DIR=pki dbpki init --name "Example DB CA" --json | jq -r .serial
              $ dbpki init --dir pki --name "Example DB CA" --encrypt-key --password-file ~/.dbpki-pass

            """ + ExitStatus.help("init")
    )

    @OptionGroup var pki: PKIDirectoryOption

    @Option(help: "The CA's common name, such as \"Example DB CA\".")
    var name: String

    @OptionGroup var subject: SubjectOption

    @Option(help: "Key type: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096 or ed25519.")
    var keyType: KeyType = .ecdsaP256

    @Option(help: "Validity in days.")
    var days: Int = CertificateProfile.defaultCADays

    @Flag(help: "Encrypt the CA key (PKCS#8: PBES2, PBKDF2-HMAC-SHA256 at 600,000 iterations, AES-256).")
    var encryptKey = false

    @OptionGroup var password: PasswordOption

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws {
        try pki.check()
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        if days < 1 || days > 36_500 { throw ValidationError("--days must be between 1 and 36500") }
        _ = try subject.attributes()
        if password.passwordFile != nil && !encryptKey {
            throw ValidationError("--password-file is for an encrypted CA key: add --encrypt-key")
        }
    }

    func run() throws {
        let dir = try pki.path()
        // Checked before the directory is created, so a bad name leaves nothing behind.
        let under = try subject.attributes()
        try under.withCommonName(name).validate()
        // Had before the directory is created, so a missing password leaves nothing behind.
        let keyStore =
            encryptKey
            ? KeyStore(newKeys: .encrypted, password: PasswordSource(try password.passwordForNewKey())) : .plainFiles
        let store = try engine.openStore(dir, create: true, keyStore: keyStore)
        let info = try store.createCA(name: name, keyType: keyType, days: days, under: under)
        report.say(
            "created root CA '\(info.subject)' (\(info.publicKey)\(encryptKey ? ", key encrypted" : "")) in \(dir), "
                + "valid until \(RFC3339.format(info.notAfter))")
        try report.emit {
            try ReportOptions.record(
                store.inventory.ca(.current), in: store.directory,
                files: [store.directory.caCertificatePath, store.directory.caKeyPath])
        }
    }
}
