import DBPKI
import Foundation
import Testing

@Suite("Audit reports: order, exit status and the three formats")
struct AuditReportTests {
    typealias S = AuditSample

    static func report(
        _ certificates: [AuditedCertificate], unreadable: [UnreadableInput] = [], warn: String = "30,15,7"
    )
        throws -> AuditReport
    {
        AuditReport(
            AuditRunner.Collection(certificates: certificates, unreadable: unreadable),
            thresholds: try WarningThresholds.parse(warn), context: AuditContext(at: S.at))
    }

    @Test("exit status: 0 ok, 1 warning, 2 expired or finding, 3 unreadable or nothing found, when nothing worse")
    func exitStatus() throws {
        let bad = [UnreadableInput(input: "missing.crt", reason: "no such file")]
        #expect(try Self.report([S.certificate(S.fields(days: 90))]).exitStatus == 0)
        #expect(try Self.report([S.certificate(S.fields(days: 90))], unreadable: bad).exitStatus == 3)
        #expect(try Self.report([], unreadable: bad).exitStatus == 3)
        #expect(try Self.report([S.certificate(S.fields(days: 20))], unreadable: bad).exitStatus == 1)
        #expect(try Self.report([S.certificate(S.fields(days: 0.5))], unreadable: bad).exitStatus == 2)
        #expect(try Self.report([S.certificate(S.fields(days: -1))]).exitStatus == 2)
        #expect(try Self.report([S.certificate(S.fields(days: 90, sans: []))]).exitStatus == 2)
        #expect(try Self.report([S.certificate(S.fields(days: 20))], warn: "10").exitStatus == 0)
        #expect(try Self.report([]).exitStatus == 3)
    }

    @Test("entries are sorted by days left, most urgent first")
    func order() throws {
        let report = try Self.report([
            S.certificate(S.fields(subject: "CN=late", days: 300), 1),
            S.certificate(S.fields(subject: "CN=gone", days: -3), 2),
            S.certificate(S.fields(subject: "CN=soon", days: 6), 3),
        ])
        #expect(report.entries.map(\.certificate.fields.subject) == ["CN=gone", "CN=soon", "CN=late"])
        #expect(report.entries.map(\.daysLeft) == [-3, 6, 300])
        #expect(report.entries.map(\.stage.name) == ["expired", "warn-7", "ok"])
    }

    @Test("JSON is one object with the contract's keys, and parses")
    func json() throws {
        var odd = S.fields(subject: "CN=quote\\\"and\nnewline", days: 10)
        odd.serialNumber = [0x00, 0xab, 0xcd]
        let report = try Self.report(
            [S.certificate(odd, 1, at: "dir/a \"b\".pem"), S.certificate(S.fields(days: -1), 2)],
            unreadable: [UnreadableInput(input: "probe:127.0.0.1:1", reason: "connection refused")])
        let data = Data(try AuditFormat.json.render(report))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let certificates = try #require(object["certificates"] as? [[String: Any]])
        #expect(certificates.count == 2)
        let first = certificates[0]
        for key in [
            "locations", "subject", "issuer", "serial", "not_after", "days_left", "stage", "findings",
            "fingerprint_sha256", "subject_alt_names", "not_before", "key", "signature_algorithm", "is_ca",
        ] {
            #expect(first[key] != nil, "missing \(key)")
        }
        #expect(first["stage"] as? String == "expired")
        let second = certificates[1]
        #expect(second["subject"] as? String == "CN=quote\\\"and\nnewline")
        #expect(second["serial"] as? String == "abcd")
        #expect(second["locations"] as? [String] == ["dir/a \"b\".pem"])
        #expect(second["days_left"] as? Int == 10)
        #expect(second["not_after"] as? String == UTCClock.rfc3339(Int64(S.at) + 10 * 86_400))
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["exit_status"] as? Int == 2)
        #expect((summary["stages"] as? [String: Int])?["expired"] == 1)
        #expect((summary["stages"] as? [String: Int])?["warn-15"] == 1)
        #expect((summary["unreadable"] as? [[String: String]])?.first?["input"] == "probe:127.0.0.1:1")
        #expect(summary["at"] as? String == "2026-06-01T12:00:00Z")
    }

    @Test("Prometheus label values are escaped and every sample has HELP and TYPE")
    func prometheus() throws {
        let odd = S.fields(subject: "CN=a\\b\"c\nd", days: 10)
        let report = try Self.report([S.certificate(odd, 1, at: "x.crt")])
        let text = String(decoding: try AuditFormat.prometheus.render(report), as: UTF8.self)
        #expect(text.contains(#"subject="CN=a\\b\"c\nd""#))
        #expect(text.contains("dbpki_certificate_expiry_seconds{"))
        #expect(text.contains("} \(Int64(S.at) + 10 * 86_400)\n"))
        #expect(text.contains(#"stage="warn-15"} 1"#))
        #expect(text.contains("dbpki_audit_last_run_timestamp_seconds \(Int64(S.at))\n"))
        let names = Set(
            text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
                String($0.prefix { $0 != "{" && $0 != " " })
            })
        for name in names {
            #expect(text.contains("# HELP \(name) ") && text.contains("# TYPE \(name) gauge"), "\(name)")
        }
        #expect(text.hasSuffix("\n"))
    }

    @Test("the table has one line per certificate and a summary line")
    func table() throws {
        let report = try Self.report(
            [S.certificate(S.fields(days: 10), 1), S.certificate(S.fields(subject: "CN=x", days: 90, sans: []), 2)],
            unreadable: [UnreadableInput(input: "bad.pem", reason: "bad base64")])
        let lines = String(decoding: try AuditFormat.table.render(report), as: UTF8.self).split(separator: "\n")
        #expect(lines[0].hasPrefix("STAGE"))
        #expect(lines[1].hasPrefix("warn-15"))
        #expect(lines[2].hasPrefix("ok") && lines[2].hasSuffix("missing-san"))
        #expect(lines[3] == "2 certificates: ok 1, warn-15 1; findings: missing-san 1; 1 unreadable input")
        #expect(lines[4] == "unreadable: bad.pem: bad base64")
    }
}
