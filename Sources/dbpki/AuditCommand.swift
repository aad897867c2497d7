import ArgumentParser
import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL
import Foundation

struct AuditCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Report expiry stages and compliance findings for every certificate of a PKI, files or servers.",
        discussion: """
            Reads every certificate in the PKI directory (--dir, walked recursively: CA, issued and any history), \
            in the files and folders named (PEM with any number of certificates, DER, zips such as NAME-crt.zip, \
            combined certificate+key PEM files, PKCS#12 keystores and truststores (.p12, .pfx) opened with the \
            password of --password-file or DBPKI_PASSWORD_FILE; folders walked recursively, hidden entries such \
            as the PKI's .lock and .staging skipped) and presented by TLS servers \
            (--probe). Private keys are never read into the report. A PKCS#12 file that cannot be opened (wrong \
            or no password, damaged) is an unreadable input, even inside a folder. A certificate found several times (same \
            SHA-256 fingerprint) is reported once with all its locations.

            Stages, with A = --at (default now, UTC) and days left = floor((notAfter - A) / 86400 s):
              expired        notAfter < A
              expires-today  0 days left
              warn-7         1-7 days left     (one stage per --warn-days value:
              warn-15        8-15 days left     with --warn-days 60,14 the stages
              warn-30        16-30 days left    are warn-60 and warn-14)
              ok             more than the largest --warn-days value

            Findings (short codes):
              weak-key                RSA key below 2048 bits, EC key below P-256, or a DSA key
              sha1-signature          signed with SHA-1
              md5-signature           signed with MD5 (or MD2)
              missing-san             server certificate (not a CA, EKU absent or allowing serverAuth) \
            without a DNS or IP subjectAltName
              validity-too-long       leaf valid for more than --max-leaf-days (default 825); CAs exempt
              outlives-issuer         notAfter past its issuer's, when the issuer is among the inputs
              not-yet-valid           notBefore after A
              ca-without-keycertsign  CA certificate whose keyUsage lacks keyCertSign (or is absent)
              duplicate-serial        another certificate has the same issuer and serial number

            --profile webpki adds the findings of verify chain's webpki profile, by the same rule ids \
            (webpki-key-identifiers, webpki-common-name, webpki-extended-key-usage, webpki-algorithms, \
            webpki-end-entity, webpki-wildcard-scope, webpki-authority-info-access): each certificate is judged \
            alone, a CA certificate only by the rules that are not about leaves.

            Exit status (monitoring-plugin convention): 0 all ok; 1 some certificate in a warn stage; 2 some \
            certificate expired or expiring today, or any finding; 3 an input could not be read (a missing or \
            non-certificate file named, an unreachable or non-TLS --probe endpoint) or no certificate was found \
            in any input (an empty or mistyped folder is unknown, not ok), and nothing worse. \
            Unreadable inputs are listed on stderr and in the output; the audit never stops at a bad input. \
            Inside walked folders, files that hold no certificate (keys, configs) are skipped silently.

            Without --dir, files or --probe, the PKI directory named by the environment variable DBPKI_DIR is \
            audited.

            --format table (default): one line per certificate, fewest days left first: stage, days, notAfter, \
            subject, locations (+N when found more than once), findings; then a summary line.

            --format json prints one object {"certificates": [...], "summary": {...}}. Each certificate: \
            locations (every path, path!entry inside a zip, or probe:HOST:PORT), subject and issuer (RFC 4514), \
            serial (lowercase hex), subject_alt_names, not_before and not_after (RFC 3339 UTC), days_left, stage, \
            findings (codes above), fingerprint_sha256, key (such as "EC P-256", "RSA 2048"), \
            signature_algorithm, is_ca. The summary: at, certificates (distinct), files_read, files_skipped, \
            warn_days, stages (count per stage), findings (certificates per code), unreadable ([{input, reason}]), \
            exit_status.

            --format prometheus prints the text exposition format for node_exporter's textfile collector: \
            dbpki_certificate_expiry_seconds{subject,issuer,serial,fingerprint_sha256,location} = notAfter as a \
            Unix timestamp (alert on dbpki_certificate_expiry_seconds - time()), \
            dbpki_certificate_stage{...,stage} 1, dbpki_certificate_finding{...,code} 1, and per audit \
            dbpki_audit_certificates{stage}, dbpki_audit_findings{code}, dbpki_audit_unreadable_inputs, \
            dbpki_audit_exit_status and dbpki_audit_last_run_timestamp_seconds. With --output the file is \
            replaced atomically (mode 0644), so the collector never reads half a file.

            Certificates are read by a pure-Swift reader of just the fields above (checked against both engines' \
            full parse); --backend picks the engine that computes fingerprints, speaks TLS for --probe and parses \
            any certificate the fast reader declines; --full-parse makes the engine parse every certificate.

            Examples:
              dbpki audit --dir pki
              dbpki audit --dir pki out/ /etc/redis/tls --format json
              dbpki audit --probe db1.example.com:27017 --probe [::1]:6379 --timeout 3
              dbpki audit --dir pki --warn-days 60,30,14 --at 2027-01-01T00:00:00Z
              dbpki audit --dir pki --format prometheus --output /var/lib/node_exporter/textfile_collector/dbpki.prom

            """ + ExitStatus.help("audit")
    )

    @Option(
        help: ArgumentHelp(
            "A PKI directory to audit (walked recursively; default, when nothing else is named: DBPKI_DIR).",
            valueName: "PKI"), completion: .directory)
    var dir: [String] = []

    @Argument(
        help: ArgumentHelp("Certificate files (PEM, DER, zip) or folders to audit.", valueName: "FILE"),
        completion: .file())
    var files: [String] = []

    @Option(help: ArgumentHelp("A TLS server to read the presented chain from (repeatable).", valueName: "HOST:PORT"))
    var probe: [String] = []

    @Option(
        help: ArgumentHelp(
            "The SNI name to send to --probe servers (default: the host, unless an IP).",
            valueName: "NAME"))
    var servername: String?

    @Option(
        help: ArgumentHelp(
            "Seconds each --probe may take in all: resolving, connecting and the TLS handshake (up to 64 probes run at once).",
            valueName: "SECONDS"))
    var timeout: Double = 5

    @Option(help: ArgumentHelp("Judge at this RFC 3339 time instead of now.", valueName: "RFC3339"))
    var at: String?

    @Option(help: ArgumentHelp("Warning stages in days before notAfter.", valueName: "DAYS,..."))
    var warnDays: String = "30,15,7"

    @Option(help: ArgumentHelp("The longest leaf validity before validity-too-long.", valueName: "DAYS"))
    var maxLeafDays: Int = 825

    @Option(help: "Output format: table, json or prometheus.")
    var format: AuditFormatChoice = .table

    @Option(
        help: ArgumentHelp("Write the report to FILE atomically (mode 0644) instead of stdout.", valueName: "FILE"),
        completion: .file())
    var output: String?

    @Flag(help: "Parse every certificate with the engine instead of the fast reader (slower).")
    var fullParse = false

    @OptionGroup var profile: ProfileOption

    @Option(
        help: """
            The engine for SHA-256 fingerprints, --probe handshakes and certificates the fast reader declines: \
            openssl or gnutls.
            """)
    var backend: EngineChoice = .openssl

    @OptionGroup(title: "PKCS#12 inputs (.p12, .pfx)") var pkcs12Password: PasswordFileOption

    func check() throws {
        guard !directories.isEmpty || !files.isEmpty || !probe.isEmpty else {
            throw ValidationError(
                "nothing to audit: give --dir PKI, files or folders, or --probe HOST:PORT (or set DBPKI_DIR)")
        }
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds") }
        try profile.check()
        guard maxLeafDays >= 1 else { throw ValidationError("--max-leaf-days must be at least 1") }
    }

    /// `--dir`, else (when nothing else is named either) the PKI directory of `DBPKI_DIR`.
    var directories: [String] {
        guard dir.isEmpty, files.isEmpty, probe.isEmpty else { return dir }
        return PKIDirectoryOption.fromEnvironment.map { [$0] } ?? []
    }

    func run() throws {
        let thresholds = try PKIError.locating("--warn-days") { try WarningThresholds.parse(warnDays) }
        let time = try at.map(RFC3339.parse) ?? Date()
        let targets = try probe.map { try ProbeTarget(parsing: $0) }
        var runner: AuditRunner
        switch backend {
        case .openssl: runner = AuditRunner(backend: OpenSSLBackend(), prober: OpenSSLBackend(), fullParse: fullParse)
        case .gnutls: runner = AuditRunner(backend: GnuTLSBackend(), prober: GnuTLSBackend(), fullParse: fullParse)
        }
        let profileAudit = ProfileAudit(profile: profile.value)
        runner.profile = profileAudit.rules.isEmpty ? nil : profileAudit.profile
        do {
            runner.pkcs12Password = try pkcs12Password.password()
        } catch let error as PKIError {
            // audit keeps the monitoring exit codes: a password file it cannot use is a usage error.
            throw ValidationError(CLIOutput.sentence(for: error))
        }
        let inputs = directories.map(AuditInput.pkiDirectory) + files.map(AuditInput.path)
        let progress = AuditProgress()
        // The collection is handed over, not kept: the report alone holds the records while it is written.
        let report = AuditReport(
            runner.collect(
                inputs, probes: targets, serverName: servername, timeout: timeout, progress: progress.update),
            thresholds: thresholds, context: AuditContext(at: time.timeIntervalSince1970, maxLeafDays: maxLeafDays),
            rules: AuditRules.all + profileAudit.auditRules)
        progress.finish()
        for problem in report.unreadable { CLIOutput.stderr("unreadable: \(problem.input): \(problem.reason)") }
        if report.entries.isEmpty {
            CLIOutput.stderr("unknown: no certificate found in any input (an empty or mistyped folder proves nothing)")
        }
        if let output {
            try AtomicFile.write(try format.format.render(report), to: output, mode: AtomicFile.publicMode)
        } else {
            try format.format.write(report, to: CLIOutput.stdout)
        }
        // exit(3) at once: unwinding would free every record of a large audit for nothing.
        Foundation.exit(report.exitStatus)
    }
}

/// `--format` values.
enum AuditFormatChoice: String, ExpressibleByArgument, CaseIterable {
    case table, json, prometheus

    var format: AuditFormat { AuditFormat(rawValue: rawValue)! }
}

/// A file count on stderr while a large audit runs, only when stderr is a terminal.
final class AuditProgress: @unchecked Sendable {
    private let enabled = isatty(2) == 1
    private var shown = false

    func update(_ done: Int) {
        guard enabled, done >= 2000 else { return }
        shown = true
        FileHandle.standardError.write(Data("\rdbpki audit: \(done) files read".utf8))
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
    }
}
