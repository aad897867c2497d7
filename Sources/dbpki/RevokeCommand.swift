import ArgumentParser
import DBPKI

struct RevokeCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Mark a certificate revoked, for the next CRL of its CA.",
        discussion: """
            Records NAME's certificate (the one at PKI/issued/NAME.crt), or the certificate with --serial (any \
            certificate of the PKI, a superseded one too, or an intermediate CA this PKI's CA signed with \
            'dbpki init --parent'), as revoked now with --reason. Nothing is deleted. \
            Publish the change with 'dbpki crl', which lists every revoked certificate of the CA that signed it.

            Reasons (RFC 5280): unspecified (the default; a CRL leaves it out, as RFC 5280 asks), keyCompromise, \
            affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn. certificateHold is not \
            offered: dbpki never un-revokes.

            --json prints the certificate's record, with the keys of 'dbpki list --json' (name, kind, serial, \
            issuer, subject, not_after, status "revoked", revocation_reason, revoked_at, fingerprint_sha256, ...), \
            and files, empty: revoke changes only the inventory.

            Examples:
              dbpki revoke db1 --dir pki --reason keyCompromise
              dbpki revoke --serial 3bec3cc5f2bb0b7723f0f7b0273ff9c --dir pki
              dbpki crl --dir pki --out pki.crl
              DBPKI_DIR=pki dbpki revoke db1 --json | jq -r .revoked_at

            """ + ExitStatus.help("revoke")
    )

    @Argument(help: "The certificate's name (as given to dbpki issue).")
    var name: String?

    @Option(help: "The serial number (hex, colons allowed) instead of a NAME.")
    var serial: String?

    @OptionGroup var pki: PKIDirectoryOption

    @Option(
        help: "unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation or privilegeWithdrawn.",
        completion: .list(RevocationReason.revokeChoices.map(\.name)))
    var reason: String = RevocationReason.unspecified.name

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws {
        try pki.check()
        if (name == nil) == (serial == nil) { throw ValidationError("give either a NAME or --serial") }
        if let name { try PKIDirectory.validate(name: name) }
        do { _ = try RevocationReason.parse(reason) } catch let error as PKIError {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        let dir = try pki.path()
        let store = try engine.openStore(dir)
        let record = try store.revoke(name: name, serial: serial, reason: try RevocationReason.parse(reason))
        report.say(
            "revoked \(record.kind.rawValue) certificate '\(record.name)' serial \(record.serial) "
                + "(\(record.revocationReason ?? "unspecified")) at \(record.revokedAt.map(RFC3339.format) ?? "")")
        report.say("publish it: dbpki crl --dir \(dir) --out FILE")
        try report.emit { try ReportOptions.record(record, in: store.directory, files: []) }
    }
}
