import Foundation

/// RFC 3339 timestamps, as `--at` takes them and reports print them (always UTC).
public enum RFC3339 {
    /// Parses `2026-11-25T12:00:00Z`, with an optional fraction and a `Z` or `±hh:mm` offset.
    ///
    /// The grammar is RFC 3339's `date-time` and nothing looser: a date without a time or
    /// offset is refused rather than guessed, and so is a day the month does not have
    /// (`2026-02-30`, which lenient parsers roll over into March) or a year past 9999
    /// (which certificates cannot express and formatters wrap). A leap second (`:60`) is
    /// refused too: no certificate time can name one.
    public static func parse(_ text: String) throws -> Date {
        guard let date = strictDate(Array(text.utf8)) else {
            let shown = TextEscaping.printable(text, limit: 64)
            throw PKIError(
                .invalidArgument,
                "'\(shown)' is not an RFC 3339 time with a valid date, such as 2026-11-25T12:00:00Z")
        }
        return date
    }

    /// Formats in UTC with second precision, such as `2026-11-25T12:00:00Z`.
    public static func format(_ date: Date) -> String {
        UTCClock.rfc3339(UTCClock.seconds(date))
    }

    /// `YYYY-MM-DD(T|t| )HH:MM:SS[.frac](Z|z|±HH:MM)`, each field in its range.
    private static func strictDate(_ b: [UInt8]) -> Date? {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= b.count else { return nil }
            var value = 0
            for byte in b[index..<(index + count)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ allowed: Set<UInt8>) -> Bool {
            guard index < b.count, allowed.contains(b[index]) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect([0x2d]), let month = digits(2), expect([0x2d]), let day = digits(2),
            expect([0x54, 0x74, 0x20]), let hour = digits(2), expect([0x3a]), let minute = digits(2),
            expect([0x3a]), let second = digits(2)
        else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= UTCClock.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = 0.0
        if index < b.count, b[index] == 0x2e {
            index += 1
            var scale = 0.1
            let start = index
            while index < b.count, (0x30...0x39).contains(b[index]) {
                fraction += Double(b[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if expect([0x5a, 0x7a]) {
            offset = 0
        } else if index < b.count, b[index] == 0x2b || b[index] == 0x2d {
            let sign = b[index] == 0x2d ? -1 : 1
            index += 1
            guard let offsetHours = digits(2), expect([0x3a]), let offsetMinutes = digits(2), offsetHours < 24,
                offsetMinutes < 60
            else { return nil }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard index == b.count else { return nil }
        let days = Int64(UTCClock.daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
