import ArgumentParser
import DBPKI

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a PKI directory with a new self-signed root CA.",
        discussion: """
            Writes PKI/ca.crt (PEM) and PKI/ca.key (PEM PKCS#8, mode 0600), creating PKI/ if needed. An existing \
            CA is never overwritten. The default is ECDSA P-256, valid 20 years, as managed database services do. \
            The CA is recorded in PKI/inventory.sqlite, which every later command keeps up to date (see dbpki list).

            Example:
              $ dbpki init --dir pki --name "Example DB CA"
              created root CA 'CN=Example DB CA' (ECDSA P-256) in pki, valid until 2046-11-20T12:00:00Z
            """
    )

    @Option(help: "The PKI directory.", completion: .directory)
    var dir: String

    @Option(help: "The CA's common name, such as \"Example DB CA\".")
    var name: String

    @Option(help: "Key type: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096 or ed25519.")
    var keyType: KeyType = .ecdsaP256

    @Option(help: "Validity in days.")
    var days: Int = CertificateProfile.defaultCADays

    @OptionGroup var engine: EngineOptions

    func validate() throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        if days < 1 || days > 36_500 { throw ValidationError("--days must be between 1 and 36500") }
    }

    func run() throws {
        // Checked before the directory is created, so a bad name leaves nothing behind.
        try DistinguishedName.commonName(name).validate()
        let store = try engine.openStore(dir, create: true)
        let info = try store.createCA(name: name, keyType: keyType, days: days)
        print(
            "created root CA '\(info.subject)' (\(info.publicKey)) in \(dir), valid until \(RFC3339.format(info.notAfter))"
        )
    }
}
