import ArgumentParser
import DBPKI
import Foundation

struct SignCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a certificate request (PKCS#10): a leaf for a key that never leaves its host.",
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

            --json prints the new certificate's record, with the keys of 'dbpki list --json' (name, kind, serial, \
            not_after, ..., key_path null) and files: every path written.

            Examples:
              openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout db1.key \\
                -subj /CN=db1 -out db1.csr
              dbpki sign db1.csr --dir pki db1 --dns db1.example.com --ip 10.0.0.5
              dbpki sign rs0-a.csr --dir pki rs0-a --member --subject "O=Acme,OU=Databases" --csr-names

            """ + ExitStatus.help("sign")
    )

    @Argument(help: "The certificate request: PEM or DER PKCS#10.", completion: .file())
    var csr: String

    @OptionGroup var pki: PKIDirectoryOption

    @Argument(help: "The certificate's name: its file name under PKI/issued and its common name.")
    var name: String

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

    @Option(help: "Validity in days (capped at the CA's expiry).")
    var days: Int = CertificateProfile.defaultLeafDays

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws {
        try pki.check()
        try PKIDirectory.validate(name: name)
        try LeafProfileChecks.checkNames(dns: dns, ip: ip)
        try LeafProfileChecks.checkRole(client: client, member: member, under: try subject.attributes())
        if !client && !csrNames && dns.isEmpty && ip.isEmpty {
            throw ValidationError(
                "a server certificate needs at least one --dns or --ip (or --csr-names to take the request's)")
        }
        if days < 1 { throw ValidationError("--days must be at least 1") }
    }

    func run() throws {
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
        let store = try engine.openStore(try pki.path())
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
}
