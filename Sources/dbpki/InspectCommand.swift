import ArgumentParser
import DBPKI
import Foundation

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show every certificate in a PEM, DER, zip or PKCS#12 file.",
        discussion: """
            Prints each certificate's subject, issuer, serial, validity and days left, key, signature algorithm, \
            names, key usages and SHA-256 fingerprint. Private keys in the file are skipped, never printed. \
            A PKCS#12 file (.p12, .pfx) is opened with the password of --password-file (or of the file \
            DBPKI_PASSWORD_FILE names; without either, the empty password); its certificates are shown, its key \
            is not decrypted.

            --json prints {"certificates": [...]} with, per certificate: location, subject, issuer, serial \
            (lowercase hex), not_before, not_after (RFC 3339, UTC), days_left, key, signature_algorithm, is_ca, \
            path_length, subject_alt_names, key_usage, extended_key_usage (null when the extension is absent) \
            and fingerprint_sha256.

            Examples:
              dbpki inspect pki/issued/db1.crt
              dbpki inspect out/cache1-crt.zip --json

            """ + ExitStatus.help("inspect")
    )

    @Argument(help: "A PEM, DER, zip or PKCS#12 file.", completion: .file())
    var file: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: "Count days left from this RFC 3339 time instead of now.")
    var at: String?

    @OptionGroup(title: "PKCS#12 files") var pkcs12Password: PasswordFileOption

    @OptionGroup var engine: EngineOptions

    func run() throws {
        let time = try at.map(RFC3339.parse) ?? Date()
        let backend = engine.backend.makeBackend()
        let found = try CertificateFile.certificates(
            at: file, pkcs12Password: try pkcs12Password.password(), using: backend)
        let summaries = try found.map {
            CertificateSummary(try $0.parsed(by: backend), location: $0.location, at: time)
        }
        if json {
            struct Output: Encodable { let certificates: [CertificateSummary] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(Output(certificates: summaries)), as: UTF8.self))
            return
        }
        for (index, summary) in summaries.enumerated() {
            if index > 0 { print("") }
            var rows: [(String, String)] = [
                ("location", summary.location), ("subject", summary.subject), ("issuer", summary.issuer),
                ("serial", summary.serial), ("not before", summary.notBefore),
                ("not after", "\(summary.notAfter) (\(summary.daysLeft) days left)"), ("key", summary.key),
                ("signature", summary.signatureAlgorithm),
                ("CA", summary.isCA ? "yes" + (summary.pathLength.map { ", path length \($0)" } ?? "") : "no"),
            ]
            if !summary.subjectAlternativeNames.isEmpty {
                rows.append(("names", summary.subjectAlternativeNames.joined(separator: ", ")))
            }
            if let usage = summary.keyUsage { rows.append(("key usage", usage.joined(separator: ", "))) }
            if let usage = summary.extendedKeyUsage { rows.append(("ext. key usage", usage.joined(separator: ", "))) }
            rows.append(("sha256", summary.fingerprintSHA256))
            for (label, value) in rows { print(label.padding(toLength: 16, withPad: " ", startingAt: 0) + value) }
        }
    }
}
