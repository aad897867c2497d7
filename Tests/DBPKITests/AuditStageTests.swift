import DBPKI
import Foundation
import Testing

@Suite("Audit stages follow the contract's days-left rule exactly")
struct AuditStageTests {
    /// 2026-06-01T12:00:00Z.
    static let at: Double = 1_780_315_200
    static let day: Int64 = 86_400

    static func stage(_ seconds: Int64, _ thresholds: WarningThresholds = .standard) -> String {
        thresholds.stage(notAfter: Int64(at) + seconds, at: at).name
    }

    @Test(
        "whole days left map to the default stages",
        arguments: [
            (31, "ok"), (30, "warn-30"), (16, "warn-30"), (15, "warn-15"), (8, "warn-15"), (7, "warn-7"),
            (1, "warn-7"), (0, "expires-today"),
        ])
    func boundaries(days: Int64, expected: String) {
        #expect(Self.stage(days * Self.day) == expected)
        // Anywhere within the day counts the same: floor((notAfter - at) / 86400).
        #expect(Self.stage(days * Self.day + Self.day - 1) == expected)
        #expect(WarningThresholds.daysLeft(notAfter: Int64(Self.at) + days * Self.day, at: Self.at) == Int(days))
    }

    @Test("expired one second ago is expired with -1 days left; notAfter exactly now expires today")
    func expiry() {
        #expect(Self.stage(-1) == "expired")
        #expect(WarningThresholds.daysLeft(notAfter: Int64(Self.at) - 1, at: Self.at) == -1)
        #expect(Self.stage(0) == "expires-today")
        #expect(Self.stage(Self.day - 1) == "expires-today")
        #expect(Self.stage(Self.day) == "warn-7")
        #expect(Self.stage(-400 * Self.day) == "expired")
    }

    @Test("a fractional audit time rounds days down, never up")
    func fractionalTime() {
        let thresholds = WarningThresholds.standard
        let notAfter = Int64(Self.at) + 7 * Self.day
        #expect(thresholds.stage(notAfter: notAfter, at: Self.at + 0.5).name == "warn-7")
        #expect(WarningThresholds.daysLeft(notAfter: notAfter, at: Self.at + 0.5) == 6)
        #expect(thresholds.stage(notAfter: Int64(Self.at), at: Self.at + 0.5).name == "expired")
    }

    @Test("custom --warn-days make their own stages, in any order given")
    func customThresholds() throws {
        let thresholds = try WarningThresholds.parse("14, 60")
        #expect(thresholds.days == [60, 14])
        #expect(thresholds.stages.map(\.name) == ["ok", "warn-60", "warn-14", "expires-today", "expired"])
        #expect(Self.stage(61 * Self.day, thresholds) == "ok")
        #expect(Self.stage(60 * Self.day, thresholds) == "warn-60")
        #expect(Self.stage(15 * Self.day, thresholds) == "warn-60")
        #expect(Self.stage(14 * Self.day, thresholds) == "warn-14")
        #expect(Self.stage(1 * Self.day, thresholds) == "warn-14")
        #expect(Self.stage(0, thresholds) == "expires-today")
        let single = try WarningThresholds.parse("1")
        #expect(Self.stage(2 * Self.day, single) == "ok")
        #expect(Self.stage(1 * Self.day, single) == "warn-1")
    }

    @Test("bad --warn-days are refused", arguments: ["", "30,,7", "30,15,15", "0", "-7", "abc", "30;15", "40000"])
    func badThresholds(text: String) {
        #expect(throws: PKIError.self) { try WarningThresholds.parse(text) }
    }

    @Test("stages order by urgency")
    func severity() throws {
        let stages = try WarningThresholds.parse("30,15,7").stages
        #expect(stages == stages.sorted())
        #expect(ExpiryStage.expired > .expiresToday)
        #expect(stages.filter(\.isWarning).map(\.name) == ["warn-30", "warn-15", "warn-7"])
        #expect(stages.filter(\.isCritical) == [.expiresToday, .expired])
    }
}

@Suite("UTC times of certificates without Foundation formatters")
struct UTCClockTests {
    static func parse(_ tag: UInt8, _ text: String) -> Int64? { UTCClock.seconds(tag: tag, Array(text.utf8)[...]) }

    @Test("UTCTime and GeneralizedTime decode to Unix seconds")
    func decoding() {
        #expect(Self.parse(0x17, "700101000000Z") == 0)
        #expect(Self.parse(0x17, "491231235959Z") == 2_524_607_999)  // 2049: UTCTime's last year
        #expect(Self.parse(0x17, "500101000000Z") == -631_152_000)  // 1950
        #expect(Self.parse(0x18, "20240229120000Z") == 1_709_208_000)  // a leap day
        #expect(Self.parse(0x18, "99991231235959Z") == 253_402_300_799)
    }

    @Test(
        "forms RFC 5280 forbids are refused",
        arguments: [
            (UInt8(0x17), "7001010000Z"), (0x17, "700101000000"), (0x17, "700101000000+0100"),
            (0x18, "20230229000000Z"), (0x18, "20231301000000Z"), (0x18, "20230101240000Z"),
            (0x18, "20230101000000.5Z"), (0x17, "20230101000000Z"), (0x18, "230101000000Z"),
        ])
    func refused(tag: UInt8, text: String) {
        #expect(Self.parse(tag, text) == nil)
    }

    @Test(
        "RFC 3339 printing equals Foundation's", arguments: [Int64(0), 951_782_400, 1_780_315_200, 4_102_444_799, -1])
    func printing(seconds: Int64) {
        #expect(UTCClock.rfc3339(seconds) == RFC3339.format(Date(timeIntervalSince1970: TimeInterval(seconds))))
    }
}

@Suite("--probe endpoints")
struct ProbeTargetTests {
    @Test("host:port, IPv4 and bracketed IPv6 parse")
    func parsing() throws {
        let name = try ProbeTarget(parsing: "db1.example.com:27017")
        #expect(name.host == "db1.example.com" && name.port == 27017 && name.defaultServerName == "db1.example.com")
        let v4 = try ProbeTarget(parsing: "127.0.0.1:6379")
        #expect(v4.host == "127.0.0.1" && v4.defaultServerName == nil && v4.location == "probe:127.0.0.1:6379")
        let v6 = try ProbeTarget(parsing: "[::1]:6380")
        #expect(v6.host == "::1" && v6.port == 6380 && v6.location == "probe:[::1]:6380")
    }

    @Test(
        "malformed endpoints are usage errors",
        arguments: ["db1", "db1:", ":443", "::1:443", "[::1]", "[db1]:443", "h:0", "h:70000", "h:x"])
    func malformed(text: String) {
        #expect(throws: PKIError.self) { try ProbeTarget(parsing: text) }
    }
}
