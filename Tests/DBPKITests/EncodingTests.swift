import Foundation
import Testing

@testable import DBPKI

@Suite("Hex, DER, RFC 4514, RFC 3339 and serials")
struct EncodingTests {
    @Test("hex prints integers without leading zeros and reads bytes with or without colons")
    func hexPrintsIntegersWithoutLeadingZeros() {
        #expect(Hex.integer([0x00, 0x8f, 0x01]) == "8f01")
        #expect(Hex.integer([0x00]) == "0")
        #expect(Hex.integer([0x01, 0x00]) == "100")
        #expect(Hex.decode("8f:01") == [0x8f, 0x01])
        #expect(Hex.decode("8") == nil)
    }

    @Test("the DER reader refuses truncation and non-minimal lengths")
    func derReaderRefusesTruncationAndNonMinimalLengths() {
        #expect(DERReader.isSingleSequence([0x30, 0x00]))
        #expect(!DERReader.isSingleSequence([0x30, 0x01]))
        #expect(!DERReader.isSingleSequence([0x30, 0x81, 0x01, 0x00]))
        #expect(!DERReader.isSingleSequence([0x30, 0x00, 0x00]))
        #expect(!DERReader.isSingleSequence([0x30, 0x80, 0x00, 0x00]))
    }

    @Test("RFC 4514 printing escapes specials but not UTF-8")
    func rfc4514EscapesSpecialsButNotUTF8() {
        let name = RFC4514.format([
            [.init(oid: "2.5.4.6", value: .text("DE"))],
            [.init(oid: "2.5.4.10", value: .text("Müller, Söhne + Co"))],
            [.init(oid: "2.5.4.3", value: .text(" a#b ")), .init(oid: "1.2.3.4", value: .der([0x04, 0x01, 0xff]))],
        ])
        #expect(name == #"CN=\ a#b\ +1.2.3.4=#0401ff,O=Müller\, Söhne \+ Co,C=DE"#)
        #expect(RFC4514.escape("#x\u{1}") == "\\#x\\01")
    }

    @Test("RFC 3339 times are read with offsets and fractions")
    func rfc3339AcceptsOffsetsAndFractions() throws {
        #expect(try RFC3339.parse("2026-11-25T12:00:00Z") == Date(timeIntervalSince1970: 1_795_608_000))
        #expect(try RFC3339.parse("2026-11-25T13:00:00+01:00") == Date(timeIntervalSince1970: 1_795_608_000))
        #expect(try RFC3339.parse("2026-11-25T12:00:00.5Z") == Date(timeIntervalSince1970: 1_795_608_000.5))
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_795_608_000)) == "2026-11-25T12:00:00Z")
        for bad in ["2026-11-25", "yesterday", "2026-11-25 12:00:00", ""] {
            #expect(throws: PKIError.self) { try RFC3339.parse(bad) }
        }
    }

    @Test("random serials are positive and carry sixteen bytes of entropy")
    func randomSerialsArePositiveAndSixteenBytesOfEntropy() {
        for _ in 0..<200 {
            let serial = SerialNumber.random()
            #expect(serial[0] & 0x80 == 0)
            #expect(serial.count == 16 || (serial.count == 17 && serial[0] == 0 && serial[1] >= 0x80))
        }
        #expect(SerialNumber.encode(0x80) == [0x00, 0x80])
        #expect(SerialNumber.encode(0) == [0x00])
    }

    @Test("key types are read by their command-line names")
    func keyTypesParseByTheirCommandLineNames() throws {
        #expect(try KeyType.parse("RSA-3072") == .rsa3072)
        let error = #expect(throws: PKIError.self) { try KeyType.parse("dsa") }
        #expect(error?.message.contains("ecdsa-p256") == true)
    }
}
