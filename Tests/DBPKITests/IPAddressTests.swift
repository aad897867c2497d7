import Testing

@testable import DBPKI

@Suite("IP addresses")
struct IPAddressTests {
    @Test(
        "IPv4 and IPv6 text reads as its bytes",
        arguments: [
            ("192.0.2.1", [192, 0, 2, 1]),
            ("0.0.0.0", [0, 0, 0, 0]),
            ("::1", [UInt8](repeating: 0, count: 15) + [1]),
            ("2001:db8::10", [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [0x10]),
            ("::ffff:192.0.2.1", [UInt8](repeating: 0, count: 10) + [0xff, 0xff, 192, 0, 2, 1]),
        ] as [(String, [UInt8])])
    func validTextParses(text: String, bytes: [UInt8]) {
        #expect(IPAddress(text)?.bytes == bytes)
    }

    @Test(
        "malformed addresses, zones and host names are not IP addresses",
        arguments: [
            "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", "::1::", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0",
            "12345::", "example.com", ":::", "1.2.3.4 ",
        ])
    func invalidTextIsRefused(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test(
        "an address prints in its canonical form",
        arguments: [
            ("192.0.2.1", "192.0.2.1"), ("::1", "::1"), ("2001:0db8::0010", "2001:db8::10"),
            ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"), ("0:0:0:0:0:0:0:0", "::"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ])
    func printingIsCanonical(text: String, canonical: String) {
        #expect(IPAddress(text)?.description == canonical)
    }

    @Test("an IPv6 address is printed with its longest zero run compressed (RFC 5952)")
    func rfc5952CompressesTheLongestRun() {
        #expect(IPAddress("2001:db8:0:0:1:0:0:0")!.description == "2001:db8:0:0:1::")
        #expect(IPAddress("2001:db8:0:1:1:1:1:1")!.description == "2001:db8:0:1:1:1:1:1")
    }
}
