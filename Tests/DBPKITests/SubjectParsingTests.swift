import Foundation
import Testing

@testable import DBPKI

@Suite("--subject text parsed as RFC 4514 attributes, in the order written")
struct SubjectParsingTests {
    static let o = "2.5.4.10"
    static let ou = "2.5.4.11"
    static let dc = "0.9.2342.19200300.100.1.25"

    @Test("attributes keep the order written, whatever the case of the types")
    func keepsOrder() throws {
        let name = try RFC4514.parse("O=Acme,ou=Databases,C=DE,ST=Bavaria,L=Munich,DC=example")
        #expect(name.attributes.map(\.oid) == [Self.o, Self.ou, "2.5.4.6", "2.5.4.8", "2.5.4.7", Self.dc])
        #expect(name.attributes.map(\.value) == ["Acme", "Databases", "DE", "Bavaria", "Munich", "example"])
        #expect(name.withCommonName("db1").attributes.last == .commonName("db1"))
    }

    @Test("escaped specials, hex pairs and escaped edge spaces become the characters they stand for")
    func escapes() throws {
        let name = try RFC4514.parse(
            ##"O=Acme\, Inc.,OU=R\+D \"Labs\" \\ \<x\> \; a\=b,L=\#1 M\C3\BCnchen\ ,ST=\ lead"##)
        #expect(name.attributes.map(\.value) == ["Acme, Inc.", #"R+D "Labs" \ <x> ; a=b"#, "#1 München ", " lead"])
    }

    @Test("unescaped spaces around types and values are dropped; '=' inside a value is kept")
    func spaces() throws {
        let name = try RFC4514.parse(" O = Acme , OU=a=b ")
        #expect(name.attributes == [.organization("Acme"), .organizationalUnit("a=b")])
    }

    @Test(
        "unknown types, CN, empty values, multi-valued RDNs, #hex values and bad escapes are refused",
        arguments: [
            ("X=1", "unknown attribute type 'X'"), ("CN=db1", "cannot hold a CN"), ("O=", "O is empty"),
            ("O=Acme,OU=", "OU is empty"), ("O=  ", "O is empty"), ("", "subject is empty"),
            ("O=Acme+OU=x", "multi-valued RDN"), ("O=#0403414243", "#hex"), ("O=a\\q", "unknown escape"),
            ("O=a\\", "lone backslash"), ("O=a\"b", "unescaped '\"'"), ("O=Acme,", "empty attribute"),
            ("Acme", "is not TYPE=VALUE"), ("=Acme", "without an attribute type"), ("C=DEU", "at most 2"),
            ("C=1A", "two-letter country code"), ("DC=bücher", "not ASCII"), ("O=\\C3", "not valid UTF-8"),
            ("O=" + String(repeating: "a", count: 65), "at most 64"),
            ("L=" + String(repeating: "a", count: 129), "at most 128"),
            ("DC=" + String(repeating: "a", count: 64), "at most 63"), ("O=a\\0Ab", "control characters"),
        ])
    func refusals(text: String, reason: String) {
        #expect {
            try RFC4514.parse(text)
        } throws: { error in
            (error as? PKIError)?.code == .invalidArgument && "\(error)".contains(reason)
        }
    }

    @Test("the longest values RFC 5280 allows are accepted")
    func upperBounds() throws {
        let name = try RFC4514.parse(
            "ST=\(String(repeating: "s", count: 128)),L=\(String(repeating: "l", count: 128)),"
                + "DC=\(String(repeating: "d", count: 63)),O=\(String(repeating: "o", count: 64))")
        #expect(name.attributes.count == 4)
    }

    @Test("a formatted name reads back into the same attributes in encoded order")
    func roundTrip() throws {
        let name = DistinguishedName([
            .country("DE"), .organization("Acme, Inc."), .organizationalUnit(" x+y "), .commonName("db1"),
        ])
        let text = RFC4514.format(name.attributes.map { [RFC4514.AttributeValue(oid: $0.oid, value: .text($0.value))] })
        #expect(text == #"CN=db1,OU=\ x\+y\ ,O=Acme\, Inc.,C=DE"#)
        #expect(RFC4514.parseName(text) == name)
        #expect(RFC4514.parseName("CN=a+O=b") == nil)
    }
}
