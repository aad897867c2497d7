import ArgumentParser
import DBPKI
import Foundation

struct SignCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract:
            "Sign a certificate request (PKCS#10): a leaf for a key that never leaves its host, or an intermediate CA (--ca).",
        discussion: """
            Reads CSR (PEM, CERTIFICATE REQUEST or NEW CERTIFICATE REQUEST, or DER), checks it and writes \
            PKI/issued/NAME.crt, signed by the PKI's CA, for the request's public key. No key file is written: \
            the key stays where the request was made, and the inventory records that, so renew keeps the same \
            key (a new certificate for it) and bundle says the key is not in the PKI. revoke and list work as for \
            issue.

            The request proves only that its maker holds the key; nothing else in it is trusted. The subject is \
            --subject (C, ST, L, O, OU, DC) followed by CN=NAME, never the request's subject. The names are \
            exactly --dns and --ip; --csr-names adds the request's requested DNS names and IP addresses, judged \
            as --dns and --ip are (a request asking for an email address or a URI is refused). --client and \
            --member make the same profiles as in dbpki issue.

            Refused before anything is written (exit 65): a file that is not one PKCS#10 request, a request whose \
            signature does not verify, a key weaker than RSA-2048 or P-256 (or a DSA key), and a request that \
            asks for a CA certificate (basicConstraints cA TRUE).

            --ca --out CERT signs an intermediate CA instead, for a request made by 'dbpki init --csr-out' where the \
            intermediate's key lives (the offline-root flow; no NAME, --dns, --ip, --client, --member, --subject or \
            --csr-names). The request must ask for a CA certificate (basicConstraints cA TRUE) and have a CN; its \
            subject becomes the intermediate's (C, ST, L, O, OU, DC and CN only). The profile is that of 'dbpki init \
            --parent': CA:TRUE, pathLenConstraint --path-len (default 0: it signs leaves only), keyCertSign and \
            cRLSign, key identifiers; valid --days (default 3650), never past this PKI's CA. This PKI records it as \
            init --parent does (dbpki list shows it; revoke it with dbpki revoke --serial; a copy stays at \
            PKI/intermediates/SERIAL.crt). CERT (refused if it exists, mode 0644) holds the new certificate, then the \
            intermediates above it that are not self-signed: carry it and PKI/ca.crt (or the root above it) to the \
            intermediate's host and run 'dbpki init --dir SUB --import CERT --root ROOTCERT'. An encrypted CA key \
            opens with --password-file (or DBPKI_PASSWORD_FILE, or a prompt).

            --json prints the new certificate's record, with the keys of 'dbpki list --json' (name, kind, serial, \
            not_after, ..., key_path null) and files: every path written.

            Examples:
              openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout db1.key \\
                -subj /CN=db1 -out db1.csr
              dbpki sign db1.csr --dir pki db1 --dns db1.example.com --ip 10.0.0.5
              dbpki sign rs0-a.csr --dir pki rs0-a --member --subject "O=Acme,OU=Databases" --csr-names
              dbpki sign issuing.csr --dir root --ca --out issuing.crt

            """ + ExitStatus.help("sign")
    )

    @Argument(help: "The certificate request: PEM or DER PKCS#10.", completion: .file())
    var csr: String

    @OptionGroup var pki: PKIDirectoryOption

    @Argument(help: "The certificate's name: its file name under PKI/issued and its common name (not with --ca).")
    var name: String?

    @Flag(help: "Sign an intermediate CA for a request from 'dbpki init --csr-out' (needs --out).")
    var ca = false

    @Option(
        help: ArgumentHelp(
            "With --ca: where to write the certificate and the intermediates above it.", valueName: "file"),
        completion: .file())
    var out: String?

    @Option(help: "With --ca: how many CAs may be below the intermediate (0 to 8; default 0, leaves only).")
    var pathLen: Int?

    @Option(help: "A DNS name the server is reached by (repeatable).")
    var dns: [String] = []

    @Option(help: "An IPv4 or IPv6 address the server is reached by (repeatable).")
    var ip: [String] = []

    @Flag(help: "Also take the DNS names and IP addresses the request asks for (checked as --dns and --ip are).")
    var csrNames = false

    @Flag(help: "Make a client (clientAuth) certificate instead of a server certificate.")
    var client = false

    @Flag(help: "Make a cluster member certificate (serverAuth and clientAuth), for MongoDB replica sets.")
    var member = false

    @OptionGroup var subject: SubjectOption

    @Option(help: "Validity in days, capped at the CA's expiry (default: 825; 3650 with --ca).")
    var days: Int?

    @OptionGroup var password: PasswordOption

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws {
        try pki.check()
        if let days, days < 1 { throw ValidationError("--days must be at least 1") }
        if ca {
            try checkCA()
            return
        }
        if out != nil { throw ValidationError("--out is for --ca (a leaf is written to PKI/issued/NAME.crt)") }
        if pathLen != nil { throw ValidationError("--path-len is for --ca (a leaf has no path length)") }
        guard let name else { throw ValidationError("missing NAME: the certificate's name (or --ca for a CA)") }
        try PKIDirectory.validate(name: name)
        try LeafProfileChecks.checkNames(dns: dns, ip: ip)
        try LeafProfileChecks.checkRole(client: client, member: member, under: try subject.attributes())
        if !client && !csrNames && dns.isEmpty && ip.isEmpty {
            throw ValidationError(
                "a server certificate needs at least one --dns or --ip (or --csr-names to take the request's)")
        }
    }

    /// `--ca`: the flags of a leaf make no sense for an intermediate, whose subject and key are its own.
    private func checkCA() throws {
        let leafOnly: [(String, Bool)] = [
            ("NAME", name != nil), ("--dns", !dns.isEmpty), ("--ip", !ip.isEmpty), ("--client", client),
            ("--member", member), ("--csr-names", csrNames), ("--subject", subject.subject != nil),
        ]
        if let (flag, _) = leafOnly.first(where: \.1) {
            throw ValidationError(
                "\(flag) is for a leaf; with --ca the intermediate's name and subject are its request's")
        }
        guard let out else { throw ValidationError("--ca needs --out CERT: where to write the intermediate") }
        if let pathLen, !(0...PKIStore.maximumPathLength).contains(pathLen) {
            throw ValidationError("--path-len must be between 0 and \(PKIStore.maximumPathLength)")
        }
        if let days, days > 36_500 { throw ValidationError("--days must be between 1 and 36500") }
        let folder = URL(fileURLWithPath: out).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--out \(out): no folder \(folder) to write it in")
        }
    }

    func run() throws {
        if ca {
            try runCA()
            return
        }
        let name = self.name ?? ""
        let days = self.days ?? CertificateProfile.defaultLeafDays
        let backend = engine.backend.makeBackend()
        let request = try InputFile.decode(csr) { bytes in
            let request = try backend.parseSigningRequest(der: try CertificateDecoder.signingRequest(from: bytes))
            try request.checkForLeaf()
            return request
        }
        var hosts = dns
        var addresses = ip.compactMap(IPAddress.init)
        if csrNames {
            let requested = try PKIError.locating(csr) { try request.requestedHostNames() }
            hosts += requested.dns
            addresses += requested.ips
        }
        let under = try subject.attributes()
        let profile = LeafProfileChecks.profile(
            name: name, client: client, member: member, dns: hosts, ips: addresses, days: days, under: under)
        try profile.subject.validate()
        let store = try engine.openStore(
            try pki.path(), keyStore: KeyStore(newKeys: .plain, password: try password.source()))
        let directory = store.directory
        let info = try store.sign(request, name: name, profile: profile)
        let names = info.subjectAlternativeNames.map(\.description).joined(separator: ", ")
        report.say(
            "signed \(LeafProfileChecks.role(client: client, member: member)) certificate '\(info.subject)'"
                + "\(names.isEmpty ? "" : " for \(names)"), serial \(info.serialHex), valid until "
                + RFC3339.format(info.notAfter))
        report.say(
            "  for the key of the request \(csr) (\(request.publicKey)); its subject "
                + (request.subject.isEmpty ? "(empty)" : "'\(request.subject)'") + " is not copied")
        report.say("  \(directory.certificatePath(of: name))")
        report.say("  no key file: the key stays on the host that made the request")
        try report.emit {
            try ReportOptions.record(
                store.inventory.current(name: name), in: directory, files: [directory.certificatePath(of: name)])
        }
    }

    /// `--ca`: the PKI's CA signs an intermediate for the request's key; CERT gets it and the
    /// intermediates above it.
    private func runCA() throws {
        let out = self.out ?? ""
        if FileManager.default.fileExists(atPath: out) || SymbolicLink.exists(out) {
            throw PKIError(.alreadyExists, "\(out) exists already; refusing to overwrite it")
        }
        let backend = engine.backend.makeBackend()
        let request = try InputFile.decode(csr) { bytes in
            let request = try backend.parseSigningRequest(der: try CertificateDecoder.signingRequest(from: bytes))
            try request.checkForCA()
            _ = try request.caSubject()
            return request
        }
        let store = try engine.openStore(
            try pki.path(), keyStore: KeyStore(newKeys: .plain, password: try password.source()))
        let made = try store.signIntermediate(
            request, pathLength: pathLen ?? 0, days: days ?? CertificateProfile.defaultIntermediateDays)
        let path = FilePaths.absolute(out)
        do {
            try AtomicFile.write(
                BundleMaterial.pem(made.certificateWithIntermediates), to: out, mode: AtomicFile.publicMode,
                overwrite: false)
        } catch let error as PKIError {
            throw PKIError(
                error.code,
                error.message + " (the intermediate is signed and recorded: a copy is at \(made.files[0]))")
        }
        let issuer = made.chainAbove.first?.subject ?? ""
        report.say(
            "signed intermediate CA '\(made.info.subject)' (\(made.info.publicKey)), serial \(made.info.serialHex), "
                + "signed by '\(issuer)', valid until \(RFC3339.format(made.info.notAfter))")
        if made.cappedByParent {
            report.say("its validity ends with this PKI's CA (\(RFC3339.format(made.info.notAfter)))")
        }
        report.say("  \(path)")
        // A root signed it: its own ca.crt is the anchor. Under an intermediate, the root is the last of root.crt.
        let anchor = made.chainAbove.count == 1 ? store.directory.caCertificatePath : "ROOTCERT"
        report.say("  for the key of the request \(csr); import it with:")
        report.say("  dbpki init --dir SUB --import \(out) --root \(anchor)")
        try report.emit {
            let record = try store.inventory.records(serial: made.info.serialHex).first {
                $0.fingerprint == made.info.fingerprintHex
            }
            return try ReportOptions.record(record, in: store.directory, files: [path] + made.files)
        }
    }
}
