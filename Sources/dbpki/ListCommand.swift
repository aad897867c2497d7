import ArgumentParser
import DBPKI
import Foundation

struct ListCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every CA and certificate the PKI issued, from its inventory.",
        discussion: """
            Reads PKI/inventory.sqlite: each CA (current, old during a rollover, retired) and every server and \
            client certificate, including superseded (renewed) and revoked ones. --json prints an array of \
            records with name, kind (ca, server, client), serial (lowercase hex, no colons), issuer and subject \
            (RFC 4514), not_before and not_after (RFC 3339), status (active, superseded, revoked), ca_role \
            (current, old, retired; CAs only), profile, key, sans, fingerprint_sha256, issuer_fingerprint_sha256, \
            certificate_path and key_path (absolute; key_path null when the key is not kept), key_held_elsewhere \
            (true for a certificate signed from a request with dbpki sign: its key is on its host), revocation_reason \
            and revoked_at (revoked only), superseded_at.

            Examples:
              dbpki list --dir pki
              dbpki list --dir pki --json | jq -r '.[] | select(.status == "active") | .name'
              DBPKI_DIR=pki dbpki list

            """ + ExitStatus.help("list")
    )

    @OptionGroup var pki: PKIDirectoryOption

    @Flag(help: "Print a JSON array of records.")
    var json = false

    @OptionGroup var engine: EngineOptions

    func check() throws { try pki.check() }

    func run() throws {
        let store = try engine.openStore(try pki.path())
        let records = try store.inventory.all()
        if json {
            let objects = records.map { Self.object($0, in: store.directory) }
            try JSONText.print(objects)
            return
        }
        let rows =
            [["NAME", "KIND", "STATUS", "SERIAL", "NOT AFTER", "ISSUER"]]
            + records.map { record in
                [
                    record.name, record.kind.rawValue,
                    record.status.rawValue + (record.caRole.map { " (\($0.rawValue))" } ?? "")
                        + (record.revocationReason.map { " (\($0))" } ?? ""),
                    record.serial, RFC3339.format(record.notAfter), record.issuer,
                ].map { TextEscaping.printable($0) }  // a CA name may carry an escape sequence
            }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(
                (0..<5).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                    separator: "  ") + "  " + row[5])
        }
    }

    /// The JSON record of one certificate: every command that reports a certificate uses these keys.
    static func object(_ record: InventoryRecord, in directory: PKIDirectory) -> [String: Any] {
        func optional(_ value: Any?) -> Any { value ?? NSNull() }
        return [
            "name": record.name, "kind": record.kind.rawValue, "serial": record.serial, "issuer": record.issuer,
            "subject": record.subject, "not_before": RFC3339.format(record.notBefore),
            "not_after": RFC3339.format(record.notAfter), "status": record.status.rawValue,
            "ca_role": optional(record.caRole?.rawValue), "profile": record.profile, "key": record.keyType,
            "sans": record.subjectAlternativeNames, "fingerprint_sha256": record.fingerprint,
            "issuer_fingerprint_sha256": optional(record.issuerFingerprint),
            "certificate_path": directory.absolute(record.certificatePath),
            "key_path": optional(record.keyPath.map(directory.absolute)),
            "key_held_elsewhere": record.keyHeldElsewhere,
            "revocation_reason": optional(record.revocationReason),
            "revoked_at": optional(record.revokedAt.map(RFC3339.format)),
            "superseded_at": optional(record.supersededAt.map(RFC3339.format)),
        ]
    }
}
