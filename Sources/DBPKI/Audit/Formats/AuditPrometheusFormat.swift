/// `--format prometheus`: the text exposition format (0.0.4) for node_exporter's
/// textfile collector. Per certificate and location:
///
/// - `dbpki_certificate_expiry_seconds{subject,issuer,serial,fingerprint_sha256,location}`:
///   notAfter as a Unix timestamp (seconds), so an alert can say
///   `dbpki_certificate_expiry_seconds - time() < 7 * 86400` and the value never goes stale;
/// - `dbpki_certificate_stage{...,stage}` 1 for the stage the certificate is in at the audit time;
/// - `dbpki_certificate_finding{...,code}` 1 for each finding.
///
/// Per audit: `dbpki_audit_certificates{stage}`, `dbpki_audit_findings{code}` (certificates with
/// the finding), `dbpki_audit_unreadable_inputs`, `dbpki_audit_exit_status` and
/// `dbpki_audit_last_run_timestamp_seconds` (the audit time).
enum AuditPrometheusFormat {
    static func write(_ report: AuditReport, to output: inout ChunkedOutput) throws {
        try output.append(
            """
            # HELP dbpki_certificate_expiry_seconds Certificate notAfter as a Unix timestamp in seconds.
            # TYPE dbpki_certificate_expiry_seconds gauge

            """)
        var labelSets = [[String]]()
        for entry in report.entries {
            let fields = entry.certificate.fields
            let common =
                "subject=\"\(escape(fields.subject))\",issuer=\"\(escape(fields.issuer))\",serial=\"\(fields.serialHex)\""
                + ",fingerprint_sha256=\"\(entry.certificate.fingerprintHex)\""
            let sets = entry.certificate.locations.map { common + ",location=\"\(escape($0))\"" }
            labelSets.append(sets)
            for labels in sets {
                try output.append("dbpki_certificate_expiry_seconds{\(labels)} \(entry.notAfterSeconds)\n")
            }
        }
        try output.append(
            """
            # HELP dbpki_certificate_stage Alarm stage of the certificate at the audit time (1 for its stage).
            # TYPE dbpki_certificate_stage gauge

            """)
        for (entry, sets) in zip(report.entries, labelSets) {
            for labels in sets {
                try output.append("dbpki_certificate_stage{\(labels),stage=\"\(entry.stage.name)\"} 1\n")
            }
        }
        try output.append(
            """
            # HELP dbpki_certificate_finding Compliance finding of the certificate (1 per finding code).
            # TYPE dbpki_certificate_finding gauge

            """)
        for (entry, sets) in zip(report.entries, labelSets) {
            for code in entry.findings {
                for labels in sets { try output.append("dbpki_certificate_finding{\(labels),code=\"\(code)\"} 1\n") }
            }
        }
        var tail = """
            # HELP dbpki_audit_certificates Distinct certificates per alarm stage.
            # TYPE dbpki_audit_certificates gauge

            """
        for (stage, count) in report.stageCounts {
            tail += "dbpki_audit_certificates{stage=\"\(stage.name)\"} \(count)\n"
        }
        tail += """
            # HELP dbpki_audit_findings Distinct certificates per compliance finding code.
            # TYPE dbpki_audit_findings gauge

            """
        for (code, count) in report.findingCounts { tail += "dbpki_audit_findings{code=\"\(code)\"} \(count)\n" }
        tail += """
            # HELP dbpki_audit_unreadable_inputs Inputs (files, probes) that could not be read.
            # TYPE dbpki_audit_unreadable_inputs gauge
            dbpki_audit_unreadable_inputs \(report.unreadable.count)
            # HELP dbpki_audit_exit_status Exit status of the audit (0 ok, 1 warning, 2 critical, 3 unknown).
            # TYPE dbpki_audit_exit_status gauge
            dbpki_audit_exit_status \(report.exitStatus)
            # HELP dbpki_audit_last_run_timestamp_seconds The audit time (--at, default now) as a Unix timestamp.
            # TYPE dbpki_audit_last_run_timestamp_seconds gauge
            dbpki_audit_last_run_timestamp_seconds \(Int64(report.at.rounded(.down)))

            """
        try output.append(tail)
    }

    /// A label value escaped per the exposition format: backslash, double quote and line feed.
    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
