import Foundation

/// The result of an audit: every distinct certificate with its days left, stage and
/// findings (sorted most urgent first), the unreadable inputs, counts and the exit status.
public struct AuditReport: Sendable {
    /// One certificate as reported.
    public struct Entry: Sendable {
        /// The certificate and where it was found.
        public var certificate: AuditedCertificate
        /// floor((notAfter - at) / 86400 s).
        public var daysLeft: Int
        /// The alarm stage.
        public var stage: ExpiryStage
        /// Finding codes, in the order of the rules the report applied.
        public var findings: [String]
        /// notAfter in whole seconds since 1970.
        public var notAfterSeconds: Int64
        /// notAfter as RFC 3339 UTC (made when asked, so 100k entries do not each keep two date strings).
        public var notAfter: String { UTCClock.rfc3339(notAfterSeconds) }
        /// notBefore as RFC 3339 UTC.
        public var notBefore: String { UTCClock.rfc3339(UTCClock.seconds(certificate.fields.notBefore)) }
    }

    /// The certificates, sorted by days left (fewest first), then subject, then fingerprint.
    public var entries: [Entry]
    /// Inputs that could not be read.
    public var unreadable: [UnreadableInput]
    /// The audit time in seconds since 1970.
    public var at: Double
    /// The warning thresholds used.
    public var thresholds: WarningThresholds
    /// Files that held certificates.
    public var filesRead: Int
    /// Files in walked folders that held none.
    public var filesSkipped: Int
    /// The codes of the rules this report applied, in report order.
    public var ruleCodes: [String]

    /// Judges a collection at the context's time.
    public init(
        _ collection: AuditRunner.Collection, thresholds: WarningThresholds, context: AuditContext,
        rules: [any AuditRule] = AuditRules.all
    ) {
        let certificates = collection.certificates
        ruleCodes = rules.map(\.code)
        var codes = Array(repeating: [String](), count: certificates.count)
        for rule in rules {
            for index in rule.flagged(certificates, context: context).sorted() { codes[index].append(rule.code) }
        }
        // Sort positions, not entries: an entry is large, and moving it costs reference counting.
        let notAfters = certificates.map { UTCClock.seconds($0.fields.notAfter) }
        let order = certificates.indices.sorted { a, b in
            if notAfters[a] != notAfters[b] { return notAfters[a] < notAfters[b] }
            let (left, right) = (certificates[a], certificates[b])
            if left.fields.subject != right.fields.subject { return left.fields.subject < right.fields.subject }
            return left.fingerprint.lexicographicallyPrecedes(right.fingerprint)
        }
        entries = []
        entries.reserveCapacity(certificates.count)
        for index in order {
            let certificate = certificates[index]
            let notAfter = notAfters[index]
            entries.append(
                Entry(
                    certificate: certificate,
                    daysLeft: WarningThresholds.daysLeft(notAfter: notAfter, at: context.at),
                    stage: thresholds.stage(notAfter: notAfter, at: context.at), findings: codes[index],
                    notAfterSeconds: notAfter))
        }
        unreadable = collection.unreadable
        at = context.at
        self.thresholds = thresholds
        filesRead = collection.filesRead
        filesSkipped = collection.filesSkipped
    }

    /// Certificates per stage, every stage listed (zero included), in severity order.
    public var stageCounts: [(stage: ExpiryStage, count: Int)] {
        var counts = [String: Int]()
        for entry in entries { counts[entry.stage.name, default: 0] += 1 }
        return thresholds.stages.map { ($0, counts[$0.name] ?? 0) }
    }

    /// Certificates per finding code, every code listed (zero included), in rule order.
    public var findingCounts: [(code: String, count: Int)] {
        var counts = [String: Int]()
        for entry in entries { for code in entry.findings { counts[code, default: 0] += 1 } }
        return ruleCodes.map { ($0, counts[$0] ?? 0) }
    }

    /// The monitoring-plugin exit status of the contract: 2 when a certificate has
    /// expired or expires today or has any finding; else 1 when one is in a warning
    /// stage; else 3 (unknown) when an input could not be read or no certificate was found
    /// at all (an empty or mistyped folder proves nothing, so it must not pass as OK); else 0.
    public var exitStatus: Int32 {
        if entries.contains(where: { $0.stage.isCritical || !$0.findings.isEmpty }) { return 2 }
        if entries.contains(where: { $0.stage.isWarning }) { return 1 }
        if !unreadable.isEmpty || entries.isEmpty { return 3 }
        return 0
    }

    /// The audit time as RFC 3339 (whole seconds).
    public var atText: String { UTCClock.rfc3339(Int64(at.rounded(.down))) }
}
