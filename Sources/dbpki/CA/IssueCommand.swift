import ArgumentParser
import DBPKI

struct IssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a server or client certificate signed by the PKI's CA.",
        discussion: """
            Writes PKI/issued/NAME.crt and PKI/issued/NAME.key (mode 0600). Server certificates (the default) \
            carry serverAuth and every --dns and --ip as a subject alternative name; clients connect by these \
            names, so give every name and address they use. --client makes a clientAuth certificate. A \
            certificate never outlives its CA. Each certificate is recorded in PKI/inventory.sqlite with a serial \
            that never repeats. --force replaces NAME: the old certificate moves to PKI/history/ and is marked \
            superseded (to keep the same names and profile, use dbpki renew instead).

            Examples:
              dbpki issue db1 --dir pki --dns db1.example.com --ip 10.0.0.5 --ip fd00::5
              dbpki issue app --dir pki --client
            """
    )

    @Argument(help: "The certificate's name: its file name under PKI/issued and its common name.")
    var name: String

    @Option(help: "The PKI directory.", completion: .directory)
    var dir: String

    @Option(help: "A DNS name the server is reached by (repeatable).")
    var dns: [String] = []

    @Option(help: "An IPv4 or IPv6 address the server is reached by (repeatable).")
    var ip: [String] = []

    @Flag(help: "Make a client (clientAuth) certificate instead of a server certificate.")
    var client = false

    @Option(help: "Validity in days (capped at the CA's expiry).")
    var days: Int = CertificateProfile.defaultLeafDays

    @Option(help: "Key type: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096 or ed25519.")
    var keyType: KeyType = .ecdsaP256

    @Flag(help: "Replace an existing certificate of the same name (the old one moves to PKI/history/).")
    var force = false

    @OptionGroup var engine: EngineOptions

    func validate() throws {
        try PKIDirectory.validate(name: name)
        for host in dns {
            if IPAddress(host) != nil { throw ValidationError("'\(host)' is an IP address: use --ip \(host)") }
            guard DNSName.isValid(host) else { throw ValidationError("'\(host)' is not a valid DNS name") }
        }
        for address in ip where IPAddress(address) == nil {
            throw ValidationError(
                "'\(address)' is not an IPv4 or IPv6 address"
                    + (DNSName.isValid(address) ? ": use --dns \(address)" : ""))
        }
        if !client && dns.isEmpty && ip.isEmpty {
            throw ValidationError(
                "a server certificate needs at least one --dns or --ip (clients connect by these names)")
        }
        if days < 1 { throw ValidationError("--days must be at least 1") }
    }

    func run() throws {
        let addresses = ip.compactMap(IPAddress.init)
        let profile: CertificateProfile =
            client
            ? .client(name: name, dns: dns, ips: addresses, days: days)
            : .server(name: name, dns: dns, ips: addresses, days: days)
        let store = try engine.openStore(dir)
        let pki = store.directory
        let info = try store.issue(
            name: name, profile: profile, keyType: keyType, force: force)
        let names = info.subjectAlternativeNames.map(\.description).joined(separator: ", ")
        print(
            "issued \(client ? "client" : "server") certificate '\(info.subject)'\(names.isEmpty ? "" : " for \(names)"), "
                + "serial \(info.serialHex), valid until \(RFC3339.format(info.notAfter))")
        print("  \(pki.certificatePath(of: name))")
        print("  \(pki.keyPath(of: name)) (0600)")
    }
}
