/// `--format table`: one line per certificate, most urgent first, then a summary line
/// and the unreadable inputs.
///
///     STAGE          DAYS  NOT AFTER             SUBJECT              LOCATIONS          FINDINGS
///     expired          -3  2026-11-22T10:00:00Z  CN=db1.example.com   pki/issued/db1.crt  -
enum AuditTableFormat {
    static let subjectWidth = 40
    static let locationWidth = 40

    static func write(_ report: AuditReport, to output: inout ChunkedOutput) throws {
        let stageWidth = max(13, report.thresholds.stages.map(\.name.count).max() ?? 13)
        func row(
            _ stage: String, _ days: String, _ notAfter: String, _ subject: String, _ location: String, _ f: String
        )
            -> String
        {
            pad(stage, stageWidth) + "  " + String(repeating: " ", count: max(0, 6 - days.count)) + days + "  "
                + pad(notAfter, 20) + "  " + pad(subject, subjectWidth) + "  " + pad(location, locationWidth) + "  "
                + f + "\n"
        }
        if !report.entries.isEmpty {
            try output.append(row("STAGE", "DAYS", "NOT AFTER", "SUBJECT", "LOCATIONS", "FINDINGS"))
        }
        for entry in report.entries {
            let locations = entry.certificate.locations
            let location =
                shorten(locations[0], locationWidth - (locations.count > 1 ? 5 : 0))
                + (locations.count > 1 ? " (+\(locations.count - 1))" : "")
            let subject = entry.certificate.fields.subject.isEmpty ? "(empty)" : entry.certificate.fields.subject
            try output.append(
                row(
                    entry.stage.name, String(entry.daysLeft), entry.notAfter, shorten(subject, subjectWidth), location,
                    entry.findings.isEmpty ? "-" : entry.findings.joined(separator: ",")))
        }
        try output.append(summaryLine(report) + "\n")
        for problem in report.unreadable {
            try output.append("unreadable: \(problem.input): \(problem.reason)\n")
        }
    }

    /// `12 certificates: ok 9, warn-30 1, ...; findings: weak-key 1; 2 unreadable inputs`, zero counts left out.
    static func summaryLine(_ report: AuditReport) -> String {
        let stages = report.stageCounts.filter { $0.count > 0 }.map { "\($0.stage.name) \($0.count)" }
        let findings = report.findingCounts.filter { $0.count > 0 }.map { "\($0.code) \($0.count)" }
        var line = "\(report.entries.count) certificate\(report.entries.count == 1 ? "" : "s")"
        if !stages.isEmpty { line += ": " + stages.joined(separator: ", ") }
        line += "; findings: " + (findings.isEmpty ? "none" : findings.joined(separator: ", "))
        if !report.unreadable.isEmpty {
            line += "; \(report.unreadable.count) unreadable input\(report.unreadable.count == 1 ? "" : "s")"
        }
        return line
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Keeps the end of a long path (the file name matters most), the start of anything else.
    static func shorten(_ text: String, _ width: Int) -> String {
        guard text.count > width, width > 3 else { return text }
        if text.contains("/") { return "..." + text.suffix(width - 3) }
        return text.prefix(width - 3) + "..."
    }
}
