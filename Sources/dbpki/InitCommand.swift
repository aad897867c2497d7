import ArgumentParser
import DBPKI
import Foundation

struct InitCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a PKI directory with a new self-signed root CA, or an intermediate CA (--parent).",
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

            --parent ROOT makes an intermediate (issuing) CA instead, signed by the CA of the PKI directory ROOT: \
            PKI/ca.crt is the intermediate (CA:TRUE, pathLenConstraint --path-len, default 0, so it signs leaves \
            only), PKI/ca.key its key, and PKI/root.crt the certificates above it up to and including the root. \
            ROOT records it in its inventory (dbpki list --dir ROOT; revoke it with dbpki revoke --serial and \
            it appears in ROOT's next CRL) and keeps a copy at ROOT/intermediates/SERIAL.crt. Its default \
            validity is 10 years, and it never outlives ROOT's CA: a longer --days is cut to ROOT's CA's end (the \
            output says so). It is refused when ROOT is not a PKI, when ROOT's CA has expired, and when a path \
            length above would be exceeded (ROOT's CA made with --path-len 0 cannot have intermediates below it). \
            Both directories change together or neither does.

            --import CERT --root ROOTCERT completes such a PKI once the root signed its request ('dbpki sign \
            REQUEST --dir ROOT --ca --out CERT' on the root's host): CERT's first certificate must be a CA \
            certificate (cA TRUE, keyCertSign) for PKI/ca.key's key that chains to ROOTCERT, a self-signed CA, \
            through CERT's other certificates; otherwise nothing changes and init exits 1 with the reasons. \
            PKI/ca.crt is then that certificate and PKI/root.crt the certificates above it up to ROOTCERT, as with \
            --parent, and the PKI issues from now on (PKI/ca.csr stays: it is public). Only a PKI waiting for its \
            certificate imports one; no --name, --subject, --key-type, --days or --encrypt-key (they were chosen at \
            --csr-out); an encrypted PKI/ca.key opens with --password-file.

            --json prints the CA's record, with the keys of 'dbpki list --json' (name, kind, serial, issuer, \
            subject, not_before, not_after, status, fingerprint_sha256, certificate_path, key_path, ...), and \
            files: every path written.

            --encrypt-key writes PKI/ca.key as -----BEGIN ENCRYPTED PRIVATE KEY----- (PBES2: PBKDF2-HMAC-SHA256 \
            at 600,000 iterations, AES-256-CBC; either engine reads what the other wrote). The password is the \
            first line of --password-file FILE, else of the file DBPKI_PASSWORD_FILE names, else it is asked \
            twice on the terminal without echo; with none of these init refuses (exit 64) and writes nothing. It \
            is never taken from the command line. Every command that signs (issue, sign, renew, crl, ca \
            rollover) then asks for it the same way; 'dbpki ca change-password' changes it. A lost password is a lost CA: keep \
            it where the CA's owners can recover it.

            Examples:
              $ dbpki init --dir pki --name "Example DB CA"
              created root CA 'CN=Example DB CA' (EC P-256) in pki, valid until 2046-11-20T12:00:00Z
              $ DBPKI_DIR=pki dbpki init --name "Example DB CA" --json | jq -r .serial
              $ dbpki init --dir pki --name "Example DB CA" --encrypt-key --password-file ~/.dbpki-pass
              $ dbpki init --dir issuing --name "Example Issuing CA 1" --parent pki
              created intermediate CA 'CN=Example Issuing CA 1' (EC P-256) in issuing, signed by 'CN=Example DB CA', valid until 2036-11-22T12:00:00Z
              $ dbpki init --dir issuing --name "Example Issuing CA 1" --csr-out issuing.csr
              $ dbpki sign issuing.csr --dir root --ca --out issuing.crt     # on the root's host
              $ dbpki init --dir issuing --import issuing.crt --root root.crt

            """ + ExitStatus.help("init")
    )

    @OptionGroup var pki: PKIDirectoryOption

    @Option(help: "The CA's common name, such as \"Example DB CA\" (not with --import).")
    var name: String?

    @OptionGroup var subject: SubjectOption

    @Option(help: "Key type: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096 or ed25519.")
    var keyType: KeyType = .ecdsaP256

    @Option(help: "Validity in days (default: 7300 for a root, 3650 for an intermediate).")
    var days: Int?

    @Option(
        help: ArgumentHelp(
            "Make an intermediate CA signed by the CA of this PKI directory.", valueName: "root-dir"),
        completion: .directory)
    var parent: String?

    @Option(help: "With --parent: how many CAs may be below the intermediate (0 to 8; default 0, leaves only).")
    var pathLen: Int?

    @Option(
        help: ArgumentHelp(
            "Write a request for the CA's certificate to FILE instead of self-signing it (an offline root signs it).",
            valueName: "file"), completion: .file())
    var csrOut: String?

    @Option(
        name: .customLong("import"),
        help: ArgumentHelp(
            "Complete a PKI made with --csr-out: its CA certificate (then any intermediates above it), signed elsewhere.",
            valueName: "cert"), completion: .file())
    var importFile: String?

    @Option(
        help: ArgumentHelp(
            "With --import: the root CA certificate the imported one must chain to.", valueName: "rootcert"),
        completion: .file())
    var root: String?

    @Flag(help: "Encrypt the CA key (PKCS#8: PBES2, PBKDF2-HMAC-SHA256 at 600,000 iterations, AES-256).")
    var encryptKey = false

    @OptionGroup var password: PasswordOption

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws {
        try pki.check()
        if importFile != nil || root != nil {
            try checkImport()
            return
        }
        guard let name else { throw ValidationError("missing --name: the CA's common name") }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        if let days, days < 1 || days > 36_500 { throw ValidationError("--days must be between 1 and 36500") }
        if let pathLen {
            if parent == nil { throw ValidationError("--path-len needs --parent (a root CA has no path length)") }
            if !(0...PKIStore.maximumPathLength).contains(pathLen) {
                throw ValidationError("--path-len must be between 0 and \(PKIStore.maximumPathLength)")
            }
        }
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
        if parent != nil && csrOut != nil {
            throw ValidationError("--parent and --csr-out exclude each other: the parent signs now, or a request waits")
        }
        if parent != nil && encryptKey {
            throw ValidationError(
                "--encrypt-key with --parent is not supported yet: make the intermediate, then encrypt its key "
                    + "with 'dbpki ca change-password'")
        }
        if password.passwordFile != nil && !encryptKey && parent == nil {
            throw ValidationError("--password-file is for an encrypted CA key: add --encrypt-key")
        }
    }

    /// `--import`: everything else was chosen when the request was made.
    private func checkImport() throws {
        guard importFile != nil else { throw ValidationError("--root is for --import (the root the import chains to)") }
        guard root != nil else { throw ValidationError("--import needs --root ROOTCERT: the root it must chain to") }
        let chosen: [(String, Bool)] = [
            ("--name", name != nil), ("--subject", subject.subject != nil), ("--days", days != nil),
            ("--parent", parent != nil), ("--path-len", pathLen != nil), ("--csr-out", csrOut != nil),
            ("--encrypt-key", encryptKey), ("--key-type", keyTypeGiven),
        ]
        if let (flag, _) = chosen.first(where: \.1) {
            throw ValidationError("\(flag) does not go with --import: the CA's key and name were made with --csr-out")
        }
    }

    /// True when --key-type was written (it has a default, so compare with it).
    private var keyTypeGiven: Bool { keyType != .ecdsaP256 }

    func run() throws {
        if let importFile, let root {
            try runImport(certificate: importFile, root: root)
            return
        }
        let name = self.name ?? ""
        let dir = try pki.path()
        // Checked before the directory is created, so a bad name leaves nothing behind.
        let under = try subject.attributes()
        try under.withCommonName(name).validate()
        if let parent {
            try runIntermediate(dir: dir, parent: parent, under: under)
            return
        }
        let days = self.days ?? CertificateProfile.defaultCADays
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
        let name = self.name ?? ""
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

    /// `--parent`: both directories locked, the intermediate signed and installed.
    private func runIntermediate(dir: String, parent: String, under: DistinguishedName) throws {
        let name = self.name ?? ""
        // The parent's CA key may be encrypted: --password-file (or DBPKI_PASSWORD_FILE, or a prompt) opens it.
        let parentKeys = KeyStore(newKeys: .plain, password: try password.source())
        let (site, root) = try IntermediateSite.open(PKIDirectory(dir), parent: PKIDirectory(parent)) {
            try engine.openStore($0.path, keyStore: parentKeys)
        }
        let made = try root.createIntermediate(
            at: site, name: name, keyType: keyType, days: days ?? CertificateProfile.defaultIntermediateDays,
            pathLength: pathLen ?? 0, under: under)
        let issuer = made.chainAbove.first?.subject ?? ""
        report.say(
            "created intermediate CA '\(made.info.subject)' (\(made.info.publicKey)) in \(dir), signed by '\(issuer)', "
                + "valid until \(RFC3339.format(made.info.notAfter))")
        if made.cappedByParent {
            report.say("its validity ends with its parent CA's (\(RFC3339.format(made.info.notAfter)))")
        }
        try report.emit {
            let sub = try engine.openStore(dir)
            return try ReportOptions.record(sub.inventory.ca(.current), in: sub.directory, files: made.files)
        }
    }

    /// `--import`: the certificate checked against the PKI's key and the root, then installed;
    /// a refusal is an answer (exit 1), and leaves the PKI as it was.
    private func runImport(certificate: String, root: String) throws {
        let dir = try pki.path()
        let certificates = try InputFile.decode(certificate, CertificateDecoder.certificates(from:))
        let roots = try InputFile.decode(root, CertificateDecoder.certificates(from:))
        guard roots.count == 1 else {
            throw PKIError(
                .invalidInput, "\(root): holds \(roots.count) certificates; --root takes the one root CA certificate")
        }
        guard SymbolicLink.exists(PKIDirectory(dir).inventoryPath) else {
            throw PKIError(
                .invalidArgument, "\(dir) is not a PKI waiting for its CA certificate (make one with --csr-out)")
        }
        let store = try engine.openStore(dir, keyStore: KeyStore(newKeys: .plain, password: try password.source()))
        let outcome = try store.importCACertificate(certificates, root: roots[0])
        guard let info = outcome.info else {
            CLIOutput.error(
                "\(certificate) is not imported into \(dir): " + outcome.refusals.joined(separator: "; "))
            throw ExitCode(1)
        }
        let issuer = outcome.chainAbove.first?.subject ?? ""
        report.say(
            "imported intermediate CA '\(info.subject)' (\(info.publicKey)) into \(dir), signed by '\(issuer)', "
                + "valid until \(RFC3339.format(info.notAfter))")
        for file in outcome.files { report.say("  \(file)") }
        try report.emit {
            try ReportOptions.record(store.inventory.ca(.current), in: store.directory, files: outcome.files)
        }
    }
}
