import ArgumentParser
import DBPKI
import Foundation

struct CRLCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "crl",
        abstract: "Write a signed CRL listing every revoked certificate of a CA.",
        discussion: """
            Writes FILE (PEM, X509 CRL) signed by the PKI's current CA, or with --ca old during a rollover by the \
            old CA, listing every certificate that CA issued and 'dbpki revoke' marked revoked, with thisUpdate now, \
            nextUpdate --days later (default 30), and a CRL number one above the last one this CA signed (kept in \
            the inventory, so it only ever increases). Publish a new CRL before nextUpdate.

            Reason codes are written for every reason but unspecified. GnuTLS 3.7 cannot write CRL entry \
            extensions at all, so with --backend gnutls a CRL whose entries carry reasons is refused (exit 69, \
            naming --backend openssl) unless --no-reasons, which leaves every reason out.

            --json prints one object: crl_number, ca (current or old), issuer (RFC 4514) and \
            issuer_fingerprint_sha256 (the signing CA), this_update and next_update (RFC 3339), revoked (one \
            {serial, revoked_at, reason} per entry; reason null when left out), files (the CRL's absolute path).

            Examples:
              dbpki crl --dir pki --out pki.crl
              dbpki verify chain pki/issued/db1.crt --trust pki/ca.crt --crl pki.crl --backend both
              dbpki crl --dir pki --out old.crl --ca old
              DBPKI_DIR=pki dbpki crl --out pki.crl --json | jq .crl_number

            """ + ExitStatus.help("crl")
    )

    enum Authority: String, ExpressibleByArgument, CaseIterable {
        case current
        case old
    }

    @OptionGroup var pki: PKIDirectoryOption

    @Option(help: "The CRL file to write.", completion: .file())
    var out: String

    @Option(help: "The signing CA: current, or old during a rollover.")
    var ca: Authority = .current

    @Option(help: "Days until nextUpdate.")
    var days: Int = PKIStore.defaultCRLDays

    @Flag(help: "Leave reason codes out of the CRL entries (needed with --backend gnutls when reasons were given).")
    var noReasons = false

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    @OptionGroup var password: PasswordOption

    func check() throws {
        try pki.check()
        if days < 1 || days > 3650 { throw ValidationError("--days must be between 1 and 3650") }
    }

    func run() throws {
        let store = try engine.openStore(
            try pki.path(), keyStore: KeyStore(newKeys: .plain, password: try password.source()))
        let crl = try store.makeCRL(old: ca == .old, days: days, includeReasons: !noReasons)
        try AtomicFile.write(crl.pem, to: out, mode: AtomicFile.publicMode)
        let count = crl.info.revoked.count
        report.say(
            "wrote CRL number \(crl.number) signed by '\(crl.authority.subject)' listing \(count) revoked certificate"
                + (count == 1 ? "" : "s") + ", next update \(crl.info.nextUpdate.map(RFC3339.format) ?? "none")")
        report.say("  \(FilePaths.absolute(out))")
        try report.emit {
            [
                "crl_number": crl.number, "ca": ca.rawValue, "issuer": crl.authority.subject,
                "issuer_fingerprint_sha256": crl.authority.fingerprint,
                "this_update": RFC3339.format(crl.info.thisUpdate),
                "next_update": crl.info.nextUpdate.map(RFC3339.format) as Any? ?? NSNull(),
                "revoked": crl.info.revoked.map { entry -> [String: Any] in
                    [
                        "serial": entry.serialHex, "revoked_at": RFC3339.format(entry.revocationDate),
                        "reason": entry.reason?.name as Any? ?? NSNull(),
                    ]
                },
                "files": [FilePaths.absolute(out)],
            ]
        }
    }
}
