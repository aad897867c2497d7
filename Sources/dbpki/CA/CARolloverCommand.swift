import ArgumentParser
import DBPKI
import Foundation

struct CARolloverCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollover",
        abstract: "Make a new root CA the issuing CA and keep the old one trusted.",
        discussion: """
            Creates a new self-signed root CA. It becomes PKI/ca.crt and PKI/ca.key (0600) and signs everything \
            issued or renewed from now on; the previous CA moves to PKI/ca-old.crt and ca-old.key and stays \
            trusted: every bundle written from now on carries both CA certificates, the new one first (the merged \
            bundle). Existing certificates keep working; renew them under the new CA, then run \
            'dbpki ca retire-old'. A second rollover is refused until the old CA is retired.

            The new CA's name defaults to the old one's with a generation suffix ("Example DB CA" becomes \
            "Example DB CA G2"); its key type defaults to the old CA's; its validity to 20 years.

            Example:
              $ dbpki ca rollover --dir pki
              new root CA 'CN=Example DB CA G2' (EC P-256) issues from now on, valid until 2046-11-26T01:00:00Z
              old CA 'CN=Example DB CA' stays trusted until 'dbpki ca retire-old'; 2 active certificates are still signed by it

            In a PKI whose CA is an intermediate (made with 'dbpki init --parent'), give --parent ROOT, the PKI \
            directory whose CA signs the new intermediate (ROOT's current CA, which may itself be newer than the one \
            that signed the old intermediate). The new intermediate keeps the old one's path length and gets ROOT's \
            current chain as PKI/root.crt; the old intermediate and the chain above it (PKI/root-old.crt) stay \
            trusted until 'dbpki ca retire-old', so bundles carry both chains. ROOT records the new intermediate \
            and marks the old one superseded. Without --parent the rollover of an intermediate is refused.

            A root with live intermediates rolls over as any root does: its intermediates stay valid (they are \
            signed by the old root, which ROOT's bundles and each intermediate's own root.crt keep trusting). Roll \
            each intermediate over with --parent ROOT to move it under the new root; ROOT's 'ca retire-old' \
            refuses while an active intermediate is still signed by the old root.

            --json prints one object: new_ca and old_ca (their records, with the keys of 'dbpki list --json'), \
            still_on_old_ca (names) and files (every path written: ca.crt, ca.key, ca-old.crt, ca-old.key).

            """ + ExitStatus.help("ca rollover")
    )

    @OptionGroup var pki: PKIDirectoryOption

    @Option(help: "The new CA's common name (default: the old name with a G2, G3, ... suffix).")
    var name: String?

    @Option(help: "Key type: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096 or ed25519 (default: the old CA's).")
    var keyType: KeyType?

    @Option(help: "Validity in days (default: 7300 for a root, 3650 for an intermediate).")
    var days: Int?

    @Option(
        help: ArgumentHelp(
            "For an intermediate CA: the PKI directory whose CA signs the new one.", valueName: "root-dir"),
        completion: .directory)
    var parent: String?

    @Flag(
        help: "Encrypt the new CA key (PKCS#8, AES-256). A CA key that was encrypted always is, with the same password."
    )
    var encryptKey = false

    @OptionGroup var password: PasswordOption

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws {
        try pki.check()
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--name must not be empty")
        }
        if let days, days < 1 || days > 36_500 { throw ValidationError("--days must be between 1 and 36500") }
    }

    func run() throws {
        let dir = try pki.path()
        let store: PKIStore
        let new: CertificateInfo
        let old: InventoryRecord
        if let parent {
            if encryptKey || KeyStore.isEncryptedKeyFile(at: PKIDirectory(dir).caKeyPath) {
                throw ValidationError(
                    "an intermediate with an encrypted key cannot roll over under --parent yet (its new key would be "
                        + "written plain); roll it over without --encrypt-key, then 'dbpki ca change-password'")
            }
            // The parent's CA key may be encrypted: --password-file (or DBPKI_PASSWORD_FILE, or a prompt) opens it.
            let parentKeys = KeyStore(newKeys: .plain, password: try password.source())
            let (sub, root) = try LockOrder.open(PKIDirectory(dir), PKIDirectory(parent)) {
                try engine.openStore(
                    $0.path, keyStore: $0.path == PKIDirectory(parent).resolvingLink().path ? parentKeys : .plainFiles)
            }
            store = sub
            (new, old) = try sub.rolloverIntermediate(
                under: root, name: name, keyType: keyType, days: days ?? CertificateProfile.defaultIntermediateDays)
        } else {
            let keyStore: KeyStore
            if encryptKey && !KeyStore.isEncryptedKeyFile(at: PKIDirectory(dir).caKeyPath) {
                // The old key opens without a password: the new one's is asked now, twice on a terminal.
                keyStore = KeyStore(newKeys: .encrypted, password: PasswordSource(try password.passwordForNewKey()))
            } else {
                keyStore = KeyStore(newKeys: encryptKey ? .encrypted : .plain, password: try password.source())
            }
            store = try engine.openStore(dir, keyStore: keyStore)
            (new, old) = try store.rolloverCA(
                name: name, keyType: keyType, days: days ?? CertificateProfile.defaultCADays)
        }
        let still = try store.inventory.activeLeaves(issuedBy: old.fingerprint)
        let directory = store.directory
        report.say(
            "new \(parent == nil ? "root" : "intermediate") CA '\(new.subject)' (\(new.publicKey)) issues from now on, "
                + (parent == nil ? "" : "signed by '\(new.issuer)', ") + "valid until "
                + RFC3339.format(new.notAfter))
        report.say(
            "old CA '\(old.subject)' stays trusted until 'dbpki ca retire-old'; \(still.count) active certificate"
                + (still.count == 1 ? " is" : "s are") + " still signed by it"
                + (still.isEmpty ? "" : " (\(still.map(\.name).joined(separator: ", ")))"))
        report.say("  \(directory.caCertificatePath)")
        report.say(
            "  \(directory.caKeyPath) (0600\(KeyStore.isEncryptedKeyFile(at: directory.caKeyPath) ? ", encrypted" : ""))"
        )
        report.say("  \(directory.oldCACertificatePath)")
        try report.emit {
            [
                "new_ca": try ReportOptions.record(store.inventory.ca(.current), in: directory, files: []),
                "old_ca": try ReportOptions.record(store.inventory.ca(.old), in: directory, files: []),
                "still_on_old_ca": still.map(\.name),
                "files": [directory.caCertificatePath, directory.caKeyPath, directory.oldCACertificatePath]
                    + [directory.oldCAKeyPath].filter { FileManager.default.fileExists(atPath: $0) },
            ]
        }
    }
}
