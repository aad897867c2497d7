import ArgumentParser
import DBPKI
import Foundation

struct RenewCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Re-issue a certificate with the same names: new serial, new validity, new key.",
        discussion: """
            renew NAME re-issues PKI/issued/NAME.crt with the same subject, DNS and IP names and profile (server or \
            client or member), signed by the PKI's current CA (after 'dbpki ca rollover', the new CA), at the same paths: \
            PKI/issued/NAME.crt and PKI/issued/NAME.key (0600). The key is new, of the same type as before unless \
            --key-type, or kept with --reuse-key. The previous certificate moves to PKI/history/NAME-SERIAL.crt and \
            is marked superseded in the inventory. The validity is --days, or without it the length of the certificate it \
            replaces (a 20-day certificate renews for 20 days), never past the CA's.

            --expiring-within renews every active certificate with less than that left (30d or 30: days), \
            which is what the 30-day expiry alarm asks for, and prints each one it renewed.

            Servers pick up the new files on reload (redis: CONFIG SET tls-cert-file / tls-key-file; mongod: \
            restart or rotateCertificates).

            --json prints the new certificate's record, with the keys of 'dbpki list --json' (name, kind, serial, \
            issuer, subject, not_before, not_after, status, sans, fingerprint_sha256, certificate_path, key_path, \
            ...), and files (every path written: the certificate, the key unless --reuse-key, the previous \
            certificate under PKI/history/), reused_key, and previous (serial, not_after, certificate_path). With \
            --expiring-within: {"within_days": N, "renewed": [one such record per certificate renewed]}.

            Examples:
              dbpki renew db1 --dir pki
              dbpki renew db1 --dir pki --reuse-key --days 365
              dbpki renew --expiring-within 30d --dir pki
              DBPKI_DIR=pki dbpki renew --expiring-within 30 --json | jq '.renewed[].name'

            """ + ExitStatus.help("renew")
    )

    @Argument(help: "The certificate's name (as given to dbpki issue).")
    var name: String?

    @OptionGroup var pki: PKIDirectoryOption

    @Flag(help: "Keep the current key instead of making a new one.")
    var reuseKey = false

    @Option(help: "Validity in days (default: the replaced certificate's; capped at the CA's expiry).")
    var days: Int?

    @Option(help: "Key type of the new key (default: the same type as the current key).")
    var keyType: KeyType?

    @Option(help: "Renew every active certificate with less than this left, in days: 30d or 30.")
    var expiringWithin: String?

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    @OptionGroup var password: PasswordOption

    @OptionGroup var keyPassword: KeyPasswordOption

    func check() throws {
        try pki.check()
        switch (name, expiringWithin) {
        case (nil, nil): throw ValidationError("give a NAME to renew, or --expiring-within DAYS")
        case (.some, .some): throw ValidationError("give either a NAME or --expiring-within, not both")
        case (.some(let name), nil): try PKIDirectory.validate(name: name)
        case (nil, .some(let window)): _ = try Self.days(in: window)
        }
        if let days, days < 1 { throw ValidationError("--days must be at least 1") }
        if reuseKey && keyType != nil {
            throw ValidationError("--reuse-key keeps the key, so it cannot be combined with --key-type")
        }
    }

    /// `30d` or `30` as a number of days.
    static func days(in window: String) throws -> Int {
        let digits = window.hasSuffix("d") ? String(window.dropLast()) : window
        guard let days = Int(digits), days >= 0 else {
            let shown = TextEscaping.printable(window, limit: 32)
            throw ValidationError("--expiring-within takes a number of days, such as 30d or 30 (not '\(shown)')")
        }
        guard days <= 36_500 else {
            throw ValidationError("--expiring-within is at most 36500 days (100 years), not \(days)")
        }
        return days
    }

    func run() throws {
        let store = try engine.openStore(
            try pki.path(),
            keyStore: KeyStore(newKeys: .plain, password: try password.source(), keyPassword: try keyPassword.source()))
        if let name {
            let renewal = try store.renew(
                name: name, days: days, keyType: keyType, reuseKey: reuseKey)
            let certificate = renewal.certificate
            let names = certificate.subjectAlternativeNames.map(\.description).joined(separator: ", ")
            report.say(
                "renewed \(renewal.previous.kind.rawValue) certificate '\(certificate.subject)'"
                    + (names.isEmpty ? "" : " for \(names)")
                    + ", serial \(certificate.serialHex) (was \(renewal.previous.serial)), valid until "
                    + "\(RFC3339.format(certificate.notAfter)), signed by '\(certificate.issuer)'")
            report.say("  \(store.directory.certificatePath(of: name))")
            if renewal.previous.keyHeldElsewhere {
                report.say("  the same key, held on the host that made the request (signed with dbpki sign)")
            } else {
                report.say(
                    "  \(store.directory.keyPath(of: name)) (0600\(renewal.reusedKey ? ", key kept" : ", new key"))")
            }
            report.say("  previous: \(Self.historyPath(of: renewal, in: store.directory))")
            try report.emit { try Self.object(renewal, in: store) }
        } else if let expiringWithin {
            let window = try Self.days(in: expiringWithin)
            let renewals = try store.renewExpiring(
                within: Double(window) * 86_400, days: days, keyType: keyType, reuseKey: reuseKey)
            if renewals.isEmpty {
                report.say("nothing to renew: no active certificate expires within \(window) days")
            }
            for renewal in renewals {
                report.say(
                    "renewed \(renewal.name): serial \(renewal.certificate.serialHex) (was \(renewal.previous.serial), "
                        + "expiring \(RFC3339.format(renewal.previous.notAfter))), valid until "
                        + RFC3339.format(renewal.certificate.notAfter))
            }
            try report.emit {
                ["within_days": window, "renewed": try renewals.map { try Self.object($0, in: store) }]
            }
        }
    }

    /// Where the certificate a renewal replaced now is.
    static func historyPath(of renewal: Renewal, in directory: PKIDirectory) -> String {
        directory.absolute("\(PKIDirectory.historyFolder)/\(renewal.name)-\(renewal.previous.serial).crt")
    }

    /// The `--json` record of one renewal.
    static func object(_ renewal: Renewal, in store: PKIStore) throws -> [String: Any] {
        let directory = store.directory
        let previous = historyPath(of: renewal, in: directory)
        var object = try ReportOptions.record(
            store.inventory.current(name: renewal.name), in: directory,
            files: [directory.certificatePath(of: renewal.name)]
                + (renewal.reusedKey ? [] : [directory.keyPath(of: renewal.name)])
                + (FileManager.default.fileExists(atPath: previous) ? [previous] : []))
        object["reused_key"] = renewal.reusedKey
        object["previous"] = [
            "serial": renewal.previous.serial, "not_after": RFC3339.format(renewal.previous.notAfter),
            "certificate_path": previous,
        ]
        return object
    }
}
