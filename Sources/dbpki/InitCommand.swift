import ArgumentParser
import DBPKI
import Foundation

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

            --csr-out FILE starts an issuing CA whose certificate comes from a root kept elsewhere (offline): it \
            writes PKI/ca.key (mode 0600) and a PKCS#10 request for a CA certificate to FILE (also kept as \
            PKI/ca.csr), and no certificate. Until the signed certificate is imported, the PKI issues nothing \
            (issue, sign, renew and bundle refuse). --days does not apply: the signer chooses the validity.

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

    @Option(
        help: ArgumentHelp(
            "Write a request for the CA's certificate to FILE instead of self-signing it (an offline root signs it).",
            valueName: "file"), completion: .file())
    var csrOut: String?

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
        if let csrOut {
            if FileManager.default.fileExists(atPath: csrOut) || SymbolicLink.exists(csrOut) {
                throw ValidationError("--csr-out \(csrOut) exists already; refusing to overwrite it")
            }
            let folder = URL(fileURLWithPath: csrOut).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--csr-out \(csrOut): no folder \(folder) to write it in")
            }
        }
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
        if let csrOut {
            try requestCertificate(store: store, dir: dir, under: under, to: csrOut)
            return
        }
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

    /// `--csr-out`: the key and a request, no certificate; the request is written to FILE after
    /// the PKI recorded it (it stays at PKI/ca.csr too, should FILE fail).
    private func requestCertificate(store: PKIStore, dir: String, under: DistinguishedName, to file: String) throws {
        let request = try store.createPendingCA(name: name, keyType: keyType, under: under)
        let pem = PEM.encode(label: "CERTIFICATE REQUEST", der: request)
        try AtomicFile.write(pem, to: file, mode: AtomicFile.publicMode, overwrite: false)
        let requestInPKI = store.directory.absolute(PKIStore.pendingRequestFile)
        let subject = try store.backend.parseSigningRequest(der: request).subject
        report.say(
            "created the key of CA '\(subject)' (\(keyType.publicKeyDescription)) in \(dir), "
                + "waiting for its certificate")
        report.say("  \(store.directory.caKeyPath) (0600)")
        report.say("  request: \(file) (and \(requestInPKI))")
        try report.emit {
            [
                "name": name, "subject": subject, "request": file,
                "status": "awaiting-certificate",
                "files": [
                    store.directory.caKeyPath, requestInPKI, URL(fileURLWithPath: file).standardizedFileURL.path,
                ],
            ] as [String: Any]
        }
    }
}
