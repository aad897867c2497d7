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
            var line = index == 0 ? "\n{" : ",\n{"
            line += "\"locations\": " + array(entry.certificate.locations)
            line += ", \"subject\": " + string(fields.subject)
            line += ", \"issuer\": " + string(fields.issuer)
            line += ", \"serial\": " + string(fields.serialHex)
            line += ", \"subject_alt_names\": " + array(fields.subjectAlternativeNames.map(\.description))
            line += ", \"not_before\": " + string(entry.notBefore)
            line += ", \"not_after\": " + string(entry.notAfter)
            line += ", \"days_left\": \(entry.daysLeft)"
            line += ", \"stage\": " + string(entry.stage.name)
            line += ", \"findings\": " + array(entry.findings)
            line += ", \"fingerprint_sha256\": " + string(entry.certificate.fingerprintHex)
            line += ", \"key\": " + string(fields.publicKey.description)
            line += ", \"signature_algorithm\": " + string(SignatureAlgorithm.name(of: fields.signatureAlgorithmOID))
            line += ", \"is_ca\": \(fields.isCA)}"
            try output.append(line)
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

    static func array(_ values: [String]) -> String { "[" + values.map(string).joined(separator: ", ") + "]" }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0"..."\u{1f}", "\u{7f}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
