import ArgumentParser
import DBPKI
import Foundation

struct IssueCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a server or client certificate signed by the PKI's CA.",
        discussion: """
            Writes PKI/issued/NAME.crt and PKI/issued/NAME.key (mode 0600). Server certificates (the default) \
            carry serverAuth and every --dns and --ip as a subject alternative name; clients connect by these \
            names, so give every name and address they use. --client makes a clientAuth certificate; --member one with \
            both serverAuth and clientAuth, for a MongoDB replica-set or sharded-cluster member (a server to its \
            clients and a client to its peers; it is listed with kind server). A \
            certificate never outlives its CA. Each certificate is recorded in PKI/inventory.sqlite with a serial \
            that never repeats. --force replaces NAME: the old certificate moves to PKI/history/ and is marked \
            superseded (to keep the same names and profile, use dbpki renew instead).

            --subject "O=Acme,OU=Databases" puts those attributes (among C, ST, L, O, OU and DC) in the subject \
            before the CN, in the order written; the CN stays NAME. MongoDB recognises its cluster members by \
            their O, OU and DC, which must be the same on every member, so --member needs --subject with at least \
            one of them.

            --json prints the new certificate's record, with the keys of 'dbpki list --json' (name, kind, serial, \
            issuer, subject, not_before, not_after, status, sans, fingerprint_sha256, certificate_path, key_path, \
            ...), and files: every path written (with --force, also the replaced certificate under PKI/history/).

            With an encrypted CA key (init --encrypt-key) the CA's password comes from --password-file, else the \
            file DBPKI_PASSWORD_FILE names, else a prompt on the terminal. --encrypt-key encrypts the new \
            PKI/issued/NAME.key too, under its own password (--key-password-file, else asked twice): it travels \
            with the key, so it is never the CA's. renew keeps such a key encrypted; bundle asks for its password \
            and ships the key decrypted (mode 0600), since a server's key password would sit in clear text in its \
            config beside it.

            Examples:
              dbpki issue db1 --dir pki --dns db1.example.com --ip 10.0.0.5 --ip fd00::5
              dbpki issue app --dir pki --client
              dbpki issue rs0-a --dir pki --member --subject "O=Acme,OU=Databases" --dns rs0-a.example.com
              DBPKI_DIR=pki dbpki issue db2 --dns db2.example.com --json | jq -r .serial

            """ + ExitStatus.help("issue")
    )

    @Argument(help: "The certificate's name: its file name under PKI/issued and its common name.")
    var name: String

    @OptionGroup var pki: PKIDirectoryOption

    @Option(help: "A DNS name the server is reached by (repeatable).")
    var dns: [String] = []

    @Option(help: "An IPv4 or IPv6 address the server is reached by (repeatable).")
    var ip: [String] = []

    @Flag(help: "Make a client (clientAuth) certificate instead of a server certificate.")
    var client = false

    @Flag(help: "Make a cluster member certificate (serverAuth and clientAuth), for MongoDB replica sets.")
    var member = false

    @OptionGroup var subject: SubjectOption

    @Option(help: "Validity in days (capped at the CA's expiry).")
    var days: Int = CertificateProfile.defaultLeafDays

    @Option(help: "Key type: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096 or ed25519.")
    var keyType: KeyType = .ecdsaP256

    @Flag(help: "Replace an existing certificate of the same name (the old one moves to PKI/history/).")
    var force = false

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    @OptionGroup var password: PasswordOption

    @Flag(help: "Encrypt the certificate's key (PKCS#8, AES-256) under --key-password-file's password (else asked).")
    var encryptKey = false

    @OptionGroup var keyPassword: KeyPasswordOption

    func check() throws {
        try pki.check()
        try PKIDirectory.validate(name: name)
        try LeafProfileChecks.checkNames(dns: dns, ip: ip)
        try LeafProfileChecks.checkRole(client: client, member: member, under: try subject.attributes())
        if !client && dns.isEmpty && ip.isEmpty {
            throw ValidationError(
                "a server certificate needs at least one --dns or --ip (clients connect by these names)")
        }
        if days < 1 { throw ValidationError("--days must be at least 1") }
    }

    func run() throws {
        let addresses = ip.compactMap(IPAddress.init)
        let under = try subject.attributes()
        let profile = LeafProfileChecks.profile(
            name: name, client: client, member: member, dns: dns, ips: addresses, days: days, under: under)
        try profile.subject.validate()
        let store = try engine.openStore(
            try pki.path(),
            keyStore: KeyStore(
                newKeys: encryptKey ? .encrypted : .plain, password: try password.source(),
                keyPassword: encryptKey ? PasswordSource(try keyPassword.passwordForNewKey()) : try keyPassword.source()
            ))
        let directory = store.directory
        let replaced = force ? try store.inventory.current(name: name) : nil
        let info = try store.issue(
            name: name, profile: profile, keyType: keyType, force: force)
        let names = info.subjectAlternativeNames.map(\.description).joined(separator: ", ")
        report.say(
            "issued \(LeafProfileChecks.role(client: client, member: member)) certificate '\(info.subject)'\(names.isEmpty ? "" : " for \(names)"), "
                + "serial \(info.serialHex), valid until \(RFC3339.format(info.notAfter))")
        report.say("  \(directory.certificatePath(of: name))")
        report.say("  \(directory.keyPath(of: name)) (0600)")
        try report.emit {
            let history = replaced.map { directory.absolute("\(PKIDirectory.historyFolder)/\(name)-\($0.serial).crt") }
            return try ReportOptions.record(
                store.inventory.current(name: name), in: directory,
                files: [directory.certificatePath(of: name), directory.keyPath(of: name)]
                    + (history.map { [$0] } ?? []).filter { FileManager.default.fileExists(atPath: $0) })
        }
    }
}
