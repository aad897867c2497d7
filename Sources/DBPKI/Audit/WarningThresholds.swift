import Foundation

/// The `--warn-days` thresholds and the stage rule of the contract: with
/// A the audit time, days left = floor((notAfter - A) / 86400 s); `expired` when
/// notAfter < A; `expires-today` at 0 days left; `warn-N` when days left is at most
/// N and above the next smaller threshold; `ok` above the largest.
public struct WarningThresholds: Hashable, Sendable {
    /// The thresholds in days, largest first (30, 15, 7 by default).
    public let days: [Int]

    /// 30, 15 and 7 days, the managed services' alarm schedule.
    public static let standard = WarningThresholds(checked: [30, 15, 7])

    /// Every stage in order of severity: ok, warn-largest ... warn-smallest, expires-today, expired.
    public let stages: [ExpiryStage]

    private init(checked days: [Int]) {
        self.days = days
        stages =
            [.ok] + days.enumerated().map { ExpiryStage(severity: $0.offset + 1, name: "warn-\($0.element)") } + [
                .expiresToday, .expired,
            ]
    }

    /// Thresholds from a list of whole days, in any order; refuses an empty list,
    /// values below 1 and repeated values.
    public init(_ days: [Int]) throws {
        guard !days.isEmpty else {
            throw PKIError(.invalidArgument, "warning thresholds need at least one number of days")
        }
        guard days.allSatisfy({ $0 >= 1 && $0 <= 36_500 }) else {
            throw PKIError(.invalidArgument, "warning thresholds must be whole days from 1 to 36500")
        }
        guard Set(days).count == days.count else {
            throw PKIError(.invalidArgument, "warning thresholds list a number of days twice")
        }
        self.init(checked: days.sorted(by: >))
    }

    /// Parses `30,15,7`.
    public static func parse(_ text: String) throws -> WarningThresholds {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var days = [Int]()
        for part in parts {
            guard let value = Int(part) else {
                throw PKIError(
                    .invalidArgument, "'\(text)' is not a comma-separated list of days, such as 30,15,7")
            }
            days.append(value)
        }
        return try WarningThresholds(days)
    }

    /// Whole days left, rounded down (negative once expired), in UTC seconds.
    public static func daysLeft(notAfter: Int64, at seconds: Double) -> Int {
        Int(((Double(notAfter) - seconds) / 86_400).rounded(.down))
    }

    /// The stage of a certificate with `notAfter` (seconds since 1970) at time `at` (seconds since 1970).
    public func stage(notAfter: Int64, at seconds: Double) -> ExpiryStage {
        if Double(notAfter) < seconds { return .expired }
        let left = Self.daysLeft(notAfter: notAfter, at: seconds)
        if left <= 0 { return .expiresToday }
        var stage = ExpiryStage.ok
        for (index, threshold) in days.enumerated() where left <= threshold { stage = stages[index + 1] }
        return stage
    }
}
