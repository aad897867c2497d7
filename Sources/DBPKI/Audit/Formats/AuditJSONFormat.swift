/// `--format json`: one object, one certificate record per line.
///
///     {"certificates": [
///     {"locations": [...], "subject": "...", "issuer": "...", "serial": "hex", "subject_alt_names": [...],
///      "not_before": "RFC 3339", "not_after": "RFC 3339", "days_left": N, "stage": "warn-30",
///      "findings": ["weak-key"], "fingerprint_sha256": "hex", "key": "EC P-256",
///      "signature_algorithm": "ecdsa-with-SHA256", "is_ca": false},
///     ...
///     ],
///     "summary": {"at": "RFC 3339", "certificates": N, "files_read": N, "files_skipped": N,
///      "warn_days": [30, 15, 7], "stages": {"ok": N, ...}, "findings": {"weak-key": N, ...},
///      "unreadable": [{"input": "...", "reason": "..."}], "exit_status": 0}}
enum AuditJSONFormat {
    static func write(_ report: AuditReport, to output: inout ChunkedOutput) throws {
        try output.append("{\"certificates\": [")
        for (index, entry) in report.entries.enumerated() {
            let fields = entry.certificate.fields
            // Pieces go straight into the output buffer: no per-line string is built.
            try output.append(index == 0 ? "\n{\"locations\": " : ",\n{\"locations\": ")
            try output.append(array(entry.certificate.locations))
            try output.append(", \"subject\": ")
            try output.append(string(fields.subject))
            try output.append(", \"issuer\": ")
            try output.append(string(fields.issuer))
            try output.append(", \"serial\": \"")
            try output.append(fields.serialHex)
            try output.append("\", \"subject_alt_names\": ")
            try output.append(array(fields.subjectAlternativeNames.map(\.description)))
            try output.append(", \"not_before\": \"")
            try output.append(entry.notBefore)
            try output.append("\", \"not_after\": \"")
            try output.append(entry.notAfter)
            try output.append("\", \"days_left\": ")
            try output.append(String(entry.daysLeft))
            try output.append(", \"stage\": \"")
            try output.append(entry.stage.name)
            try output.append("\", \"findings\": ")
            try output.append(array(entry.findings))
            try output.append(", \"fingerprint_sha256\": \"")
            try output.append(entry.certificate.fingerprintHex)
            try output.append("\", \"key\": ")
            try output.append(string(fields.publicKey.description))
            try output.append(", \"signature_algorithm\": ")
            try output.append(string(SignatureAlgorithm.name(of: fields.signatureAlgorithmOID)))
            try output.append(fields.isCA ? ", \"is_ca\": true}" : ", \"is_ca\": false}")
        }
        try output.append(report.entries.isEmpty ? "],\n" : "\n],\n")
        var summary = "\"summary\": {\"at\": " + string(report.atText)
        summary += ", \"certificates\": \(report.entries.count)"
        summary += ", \"files_read\": \(report.filesRead), \"files_skipped\": \(report.filesSkipped)"
        summary += ", \"warn_days\": [" + report.thresholds.days.map(String.init).joined(separator: ", ") + "]"
        summary +=
            ", \"stages\": {"
            + report.stageCounts.map { string($0.stage.name) + ": \($0.count)" }.joined(separator: ", ") + "}"
        summary +=
            ", \"findings\": {" + report.findingCounts.map { string($0.code) + ": \($0.count)" }.joined(separator: ", ")
            + "}"
        summary +=
            ", \"unreadable\": ["
            + report.unreadable.map { "{\"input\": \(string($0.input)), \"reason\": \(string($0.reason))}" }
            .joined(separator: ", ") + "]"
        summary += ", \"exit_status\": \(report.exitStatus)}}\n"
        try output.append(summary)
    }

    static func array(_ values: [String]) -> String {
        values.isEmpty ? "[]" : "[" + values.map(string).joined(separator: ", ") + "]"
    }

    /// A JSON string literal (see ``QuotedText/json(_:)``).
    static func string(_ value: String) -> String { QuotedText.json(value) }
}
