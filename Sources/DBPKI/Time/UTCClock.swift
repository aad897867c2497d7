import Foundation

/// Whole-second UTC times, computed with integer arithmetic: parsing and printing a
/// date per certificate through Foundation's formatters would cost more than reading
/// the certificate (the audit reads many).
public enum UTCClock {
    /// Seconds since 1970 of an X.509 UTCTime (`YYMMDDHHMMSSZ`, years 1950-2049) or
    /// GeneralizedTime (`YYYYMMDDHHMMSSZ`) as RFC 5280 requires them; nil for any other form.
    public static func seconds(tag: UInt8, _ text: ArraySlice<UInt8>) -> Int64? {
        var digits = [Int]()
        digits.reserveCapacity(14)
        guard let last = text.last, last == 0x5a else { return nil }  // 'Z'
        for byte in text.dropLast() {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            digits.append(Int(byte - 0x30))
        }
        func number(_ start: Int, _ count: Int) -> Int {
            digits[start..<(start + count)].reduce(0) { $0 * 10 + $1 }
        }
        let year: Int
        let rest: Int
        switch (tag, digits.count) {
        case (0x17, 12):
            let short = number(0, 2)
            year = short >= 50 ? 1900 + short : 2000 + short
            rest = 2
        case (0x18, 14):
            year = number(0, 4)
            rest = 4
        default:
            return nil
        }
        let month = number(rest, 2)
        let day = number(rest + 2, 2)
        let hour = number(rest + 4, 2)
        let minute = number(rest + 6, 2)
        let second = number(rest + 8, 2)
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 60
        else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for whole seconds since 1970, as ``RFC3339/format(_:)`` prints them.
    public static func rfc3339(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = Int(seconds - days * 86_400)
        let (year, month, day) = civil(fromDays: Int(days))
        var out: [UInt8] = Array("0000-00-00T00:00:00Z".utf8)
        func put(_ value: Int, at end: Int, _ width: Int) {
            var rest = value
            for index in stride(from: end, to: end - width, by: -1) {
                out[index] = 0x30 + UInt8(rest % 10)
                rest /= 10
            }
        }
        put(year, at: 3, 4)
        put(month, at: 6, 2)
        put(day, at: 9, 2)
        put(inDay / 3600, at: 12, 2)
        put(inDay / 60 % 60, at: 15, 2)
        put(inDay % 60, at: 18, 2)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whole seconds since 1970 of a date, rounded down.
    public static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// The date without its fraction of a second. Certificates, CRLs and the inventory keep
    /// whole seconds, so every time dbpki compares or writes goes through this one rounding
    /// (down: a certificate is not yet valid until its notBefore second has begun).
    public static func wholeSecond(_ date: Date) -> Date { Date(timeIntervalSince1970: Double(seconds(date))) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    /// The engines use it too, to turn a C `struct tm` into a `Date` without time zones.
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
