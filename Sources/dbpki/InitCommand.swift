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

            Examples:
              $ dbpki init --dir pki --name "Example DB CA"
              created root CA 'CN=Example DB CA' (EC P-256) in pki, valid until 2046-11-20T12:00:00Z
              $ DBPKI_DIR=pki dbpki init --name "Example DB CA" --json | jq -r .serial

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

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws {
        try pki.check()
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        if days < 1 || days > 36_500 { throw ValidationError("--days must be between 1 and 36500") }
        _ = try subject.attributes()
    }

    func run() throws {
        let dir = try pki.path()
        // Checked before the directory is created, so a bad name leaves nothing behind.
        let under = try subject.attributes()
        try under.withCommonName(name).validate()
        let store = try engine.openStore(dir, create: true)
        let info = try store.createCA(name: name, keyType: keyType, days: days, under: under)
        report.say(
            "created root CA '\(info.subject)' (\(info.publicKey)) in \(dir), valid until \(RFC3339.format(info.notAfter))"
        )
        try report.emit {
            try ReportOptions.record(
                store.inventory.ca(.current), in: store.directory,
                files: [store.directory.caCertificatePath, store.directory.caKeyPath])
        }
    }
}
