import DBPKI
import Testing

@Suite("The core looks at a PKCS#12 file before any engine opens it")
struct PKCS12OutlineTests {
    /// A PFX with one clear safe (no bags) and, unless `macIterations` is nil, a MacData with that count.
    static func pfx(macIterations: Int?, safes: [[UInt8]]? = nil) throws -> [UInt8] {
        let safes = try safes ?? [PKCS12Encoding.dataContentInfo(DERWriter.tlv(0x30, []))]
        var placeholder = try PKCS12Encoding.pfxWithPlaceholderMAC(safes)
        var reader = DERReader(placeholder[...])
        var inner = DERReader(try reader.read(tag: 0x30).content)
        let version = try inner.read(tag: 0x02)
        let authSafe = try inner.read(tag: 0x30)
        guard let macIterations else {
            return DERWriter.tlv(0x30, Array(version.encoded) + Array(authSafe.encoded))
        }
        let sha256 = DERWriter.tlv(0x30, try PKCS12Encoding.objectIdentifier("2.16.840.1.101.3.4.2.1") + [0x05, 0x00])
        let digestInfo = DERWriter.tlv(0x30, sha256 + DERWriter.tlv(0x04, [UInt8](repeating: 0, count: 32)))
        var count = [UInt8]()
        var rest = macIterations
        repeat {
            count.insert(UInt8(rest & 0xff), at: 0)
            rest >>= 8
        } while rest > 0
        if count[0] & 0x80 != 0 { count.insert(0, at: 0) }
        let macData = DERWriter.tlv(
            0x30, digestInfo + DERWriter.tlv(0x04, [UInt8](repeating: 1, count: 8)) + DERWriter.tlv(0x02, count))
        placeholder = DERWriter.tlv(0x30, Array(version.encoded) + Array(authSafe.encoded) + macData)
        return placeholder
    }

    @Test("a well-formed PFX passes and is recognised by its outline")
    func wellFormed() throws {
        let file = try Self.pfx(macIterations: 2048)
        #expect(PKCS12Outline.looksLikePKCS12(file))
        try PKCS12Outline.check(file)
        #expect(!PKCS12Outline.looksLikePKCS12(DERWriter.tlv(0x30, DERWriter.tlv(0x30, []))))
    }

    @Test("a PFX without a MAC is refused: its integrity cannot be checked")
    func noMAC() throws {
        let error = #expect(throws: PKIError.self) { try PKCS12Outline.check(try Self.pfx(macIterations: nil)) }
        #expect(error?.code == .invalidInput && error?.message.contains("no MAC") == true)
    }

    @Test("a MAC asking for millions of iterations is refused before any derivation")
    func hostileMACIterations() throws {
        let error = #expect(throws: PKIError.self) {
            try PKCS12Outline.check(try Self.pfx(macIterations: 50_000_000))
        }
        #expect(error?.message.contains("50000000 iterations") == true)
    }

    @Test("an encrypted safe asking for millions of PBKDF2 iterations is refused")
    func hostileBagIterations() throws {
        let algorithm = try PKCS12Encoding.pbes2AES256Algorithm(
            salt: [UInt8](repeating: 7, count: 16), iterations: 10_000_000, iv: [UInt8](repeating: 0, count: 16))
        let safe = try PKCS12Encoding.encryptedDataContentInfo(
            PKCS12Encoding.encryptedData(algorithm: algorithm, ciphertext: [UInt8](repeating: 0, count: 16)))
        let error = #expect(throws: PKIError.self) {
            try PKCS12Outline.check(try Self.pfx(macIterations: 2048, safes: [safe]))
        }
        #expect(error?.message.contains("10000000") == true)
    }

    @Test("truncated or trailing bytes are invalid input")
    func truncated() throws {
        let file = try Self.pfx(macIterations: 2048)
        for damaged in [Array(file.dropLast(3)), file + [0]] {
            let error = #expect(throws: PKIError.self) { try PKCS12Outline.check(damaged) }
            #expect(error?.code == .invalidInput)
        }
    }

    @Test("a truststore bag carries its alias as a BMPString and the Java trust attribute")
    func truststoreBag() throws {
        let bag = try PKCS12Encoding.safeContents([.init(der: [0x30, 0x00], friendlyName: "ca", trustedForJava: true)])
        let bmp: [UInt8] = [0x1e, 0x04, 0x00, 0x63, 0x00, 0x61]
        let trust =
            try PKCS12Encoding.objectIdentifier(PKCS12Encoding.javaTrustedKeyUsageOID)
            + DERWriter.tlv(0x31, try PKCS12Encoding.objectIdentifier(PKCS12Encoding.anyExtendedKeyUsageOID))
        #expect(Self.contains(bag, bmp))
        #expect(Self.contains(bag, trust))
        #expect(!Self.contains(try PKCS12Encoding.safeContents([.init(der: [0x30, 0x00])]), trust))
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.indices.contains { haystack[$0...].starts(with: needle) }
    }
}
