import Foundation

/// RFC 3339 timestamps, as `--at` takes them and reports print them (always UTC).
public enum RFC3339 {
    /// Parses `2026-11-25T12:00:00Z`, with an optional fraction and a `Z` or `±hh:mm` offset.
    /// A date without a time or offset is refused rather than guessed.
    public static func parse(_ text: String) throws -> Date {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        throw PKIError(.invalidArgument, "'\(text)' is not an RFC 3339 time (for example 2026-11-25T12:00:00Z)")
    }

    /// Formats in UTC with second precision, such as `2026-11-25T12:00:00Z`.
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
