import DBPKITestSupport
import Foundation
import Testing

@testable import DBPKI

@Suite("MongoDB x.509 user names, derived from the subject as mongod derives them")
struct MongoDBSubjectTests {
    /// A DER attribute `type=value`, the value with DER tag `tag` (UTF8String by default).
    static func attribute(_ oid: [UInt8], _ value: [UInt8], tag: UInt8 = 0x0c) -> [UInt8] {
        DERWriter.tlv(0x30, DERWriter.tlv(0x06, oid) + DERWriter.tlv(tag, value))
    }

    /// A DER Name of these RDNs (each a SET of attributes), in encoded order.
    static func name(_ rdns: [[[UInt8]]]) -> [UInt8] {
        DERWriter.tlv(0x30, rdns.flatMap { DERWriter.tlv(0x31, $0.flatMap { $0 }) })
    }

    static let cn: [UInt8] = [0x55, 0x04, 0x03]
    static let o: [UInt8] = [0x55, 0x04, 0x0a]
    static let ou: [UInt8] = [0x55, 0x04, 0x0b]
    static let c: [UInt8] = [0x55, 0x04, 0x06]
    static let dc: [UInt8] = [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19]

    static func text(_ value: String) -> [UInt8] { Array(value.utf8) }

    @Test(
        "values are escaped as mongod's escapeRfc2253 does, including its own test vectors",
        arguments: [
            ("abc", "abc"), (" abc", #"\ abc"#), ("#abc", ##"\#abc"##), ("a,c", #"a\,c"#), ("a+c", #"a\+c"#),
            (#"a"c"#, #"a\"c"#), (#"a\c"#, #"a\\c"#), ("a<c", #"a\<c"#), ("a>c", #"a\>c"#), ("a;c", #"a\;c"#),
            ("abc ", #"abc\ "#), ("a#b=c", "a#b=c"), ("Zürich", #"Z\C3\BCrich"#), (" ", #"\ "#),
            // mongod escapes a trailing space only in an escaped value longer than two characters.
            ("a ", "a "), ("  ", #"\ \ "#),
        ])
    func escaping(value: String, expected: String) {
        #expect(MongoDBSubject.escape(value) == expected)
    }

    @Test("the attributes come most specific first, a multi-valued RDN joined with + in reverse too")
    func orderAndMultiValuedRDNs() throws {
        let der = Self.name([
            [Self.attribute(Self.c, Self.text("DE"), tag: 0x13)],
            [Self.attribute(Self.dc, Self.text("example"), tag: 0x16)],
            [Self.attribute(Self.o, Self.text("Acme, Inc."))],
            [Self.attribute(Self.ou, Self.text("Apps")), Self.attribute(Self.cn, Self.text("app+1"))],
        ])
        let subject = try MongoDBSubject(name: der)
        #expect(subject.userName == #"CN=app\+1+OU=Apps,O=Acme\, Inc.,DC=example,C=DE"#)
        #expect(
            subject.clusterIdentity.map { "\($0.oid)=\($0.value)" } == [
                "0.9.2342.19200300.100.1.25=example", "2.5.4.10=Acme, Inc.", "2.5.4.11=Apps",
            ])
    }

    @Test(
        "values are prepared as mongod's RFC 4518 StringPrep does: NFKC, other spaces mapped, format characters dropped"
    )
    func stringPreparation() throws {
        let der = Self.name([
            [Self.attribute(Self.o, Self.text("\u{FB01}ne\u{00A0}Wines\u{200B}"))],
            [Self.attribute(Self.cn, Self.text("app"))],
        ])
        #expect(try MongoDBSubject(name: der).userName == "CN=app,O=fine Wines")
        #expect(throws: PKIError.self) { try MongoDBSubject.prepare("a\u{E000}") }
    }

    @Test("a value mongod would misread (BMPString, a non-string, an unknown type) is refused, not guessed")
    func refusals() {
        let bmp = Self.name([[Self.attribute(Self.cn, [0x00, 0x61], tag: 0x1e)]])
        let integer = Self.name([[Self.attribute(Self.cn, [0x01], tag: 0x02)]])
        let unknown = Self.name([[Self.attribute([0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x01], Self.text("x"))]])
        let latin1 = Self.name([[Self.attribute(Self.cn, [0xe9], tag: 0x14)]])
        for der in [bmp, integer, unknown, latin1] {
            #expect(throws: PKIError.self) { try MongoDBSubject(name: der) }
        }
        #expect(throws: PKIError.self) { try MongoDBSubject(name: [0x30, 0x03, 0x31, 0x01]) }
    }

    @Test("every truncation and every one-byte change of a name is read or refused, never a trap")
    func hostileNames() {
        let der = Self.name([
            [Self.attribute(Self.o, Self.text("Acme"))],
            [Self.attribute(Self.ou, Self.text("Apps")), Self.attribute(Self.cn, Self.text("app"))],
        ])
        for length in 0..<der.count { _ = try? MongoDBSubject(name: Array(der[..<length])) }
        for index in der.indices {
            for value: UInt8 in [0x00, 0x7f, 0x80, 0xff, der[index] ^ 0x01] {
                var changed = der
                changed[index] = value
                _ = try? MongoDBSubject(name: changed).userName
            }
        }
    }
}
