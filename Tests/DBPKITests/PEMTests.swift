import DBPKITestSupport
import Testing

@testable import DBPKI

@Suite("PEM")
struct PEMTests {
    let der: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x05]

    @Test("a PEM block reads back as written")
    func aBlockRoundTrips() throws {
        let text = PEM.encode(label: "CERTIFICATE", der: der)
        #expect(try PEM.decode(Array(text.utf8)) == [PEM.Block(label: "CERTIFICATE", der: der)])
    }

    @Test("long bodies wrap at 64 columns")
    func longBodiesWrapAt64Columns() {
        let text = PEM.encode(label: "X", der: [UInt8](repeating: 7, count: 100))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 64 })
    }

    @Test("text around blocks and CRLF line ends are accepted")
    func textAroundBlocksAndCRLFAreAccepted() throws {
        let body = PEM.encode(label: "CERTIFICATE", der: der).replacingOccurrences(of: "\n", with: "\r\n")
        let text = "Bag Attributes\r\n  friendlyName: x\r\n" + body + body
        #expect(try PEM.decode(Array(text.utf8)).count == 2)
    }

    @Test("a truncated block is an error")
    func aTruncatedBlockIsAnError() {
        let text = String(PEM.encode(label: "CERTIFICATE", der: der).dropLast(26))
        #expect(throws: PKIError.self) { try PEM.decode(Array(text.utf8)) }
    }

    @Test("mismatched BEGIN and END labels are an error")
    func mismatchedLabelsAreAnError() {
        let text = "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END X509 CRL-----\n"
        #expect(throws: PKIError.self) { try PEM.decode(Array(text.utf8)) }
    }

    @Test("bad base64 is an error")
    func badBase64IsAnError() {
        let text = "-----BEGIN CERTIFICATE-----\nMA*CAQU=\n-----END CERTIFICATE-----\n"
        #expect(throws: PKIError.self) { try PEM.decode(Array(text.utf8)) }
    }

    @Test("legacy encrypted-PEM headers are refused")
    func legacyEncryptedHeadersAreRefused() {
        let text =
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nMAMCAQU=\n-----END RSA PRIVATE KEY-----\n"
        let error = #expect(throws: PKIError.self) { try PEM.decode(Array(text.utf8)) }
        #expect(error?.code == .unsupported)
    }

    @Test("NUL bytes are refused")
    func nulBytesAreRefused() {
        #expect(throws: PKIError.self) { try PEM.decode(Array("-----BEGIN X-----\n\0".utf8)) }
    }
}

@Suite("Certificate decoding")
struct CertificateDecoderTests {
    @Test("DER input is one certificate")
    func derIsOneCertificate() throws {
        #expect(try CertificateDecoder.certificates(from: [0x30, 0x00]) == [[0x30, 0x00]])
    }

    @Test("only CERTIFICATE blocks are taken")
    func onlyCertificateBlocksAreTaken() throws {
        let text =
            PEM.encode(label: "PRIVATE KEY", der: [0x30, 0x00])
            + PEM.encode(label: "CERTIFICATE", der: [0x30, 0x01, 0x05])
        #expect(try CertificateDecoder.certificates(from: Array(text.utf8)) == [[0x30, 0x01, 0x05]])
    }

    @Test("empty input, garbage and trailing bytes are errors")
    func emptyAndGarbageAreErrors() {
        #expect(throws: PKIError.self) { try CertificateDecoder.certificates(from: []) }
        #expect(throws: PKIError.self) { try CertificateDecoder.certificates(from: Array("hello".utf8)) }
        #expect(throws: PKIError.self) { try CertificateDecoder.certificates(from: [0x30, 0x00, 0x00]) }
    }

    @Test("every key format has one PEM label")
    func everyKeyFormatHasOneLabel() {
        for format in PrivateKeyFormat.allCases {
            #expect(PrivateKeyFormat(pemLabel: format.pemLabel) == format)
        }
        #expect(PrivateKeyFormat(pemLabel: "CERTIFICATE") == nil)
    }

    @Test("a key's format follows its PEM label")
    func keyFormatsFollowTheirLabels() throws {
        for (label, format) in [
            ("PRIVATE KEY", PrivateKeyFormat.pkcs8), ("ENCRYPTED PRIVATE KEY", .encryptedPKCS8),
            ("RSA PRIVATE KEY", .pkcs1), ("EC PRIVATE KEY", .sec1),
        ] {
            let text = PEM.encode(label: label, der: [0x30, 0x00])
            #expect(try CertificateDecoder.privateKey(from: Array(text.utf8)).format == format)
        }
    }

    @Test("truncated PEM, wrong labels and TRUSTED CERTIFICATE are clear errors")
    func pemShapes() throws {
        let pem = String(decoding: try TestData.bytes("crafted/good.crt"), as: UTF8.self)
        let der = try TestData.bytes("crafted/good.der")
        let noEnd = pem.components(separatedBy: "-----END")[0]
        let cases: [(String, String, String)] = [
            ("no END line", noEnd, "truncated"),
            ("half the base64", String(pem.prefix(pem.count / 2)) + "\n-----END CERTIFICATE-----\n", "base64"),
            ("a CRL label", PEM.encode(label: "X509 CRL", der: der), "found: X509 CRL"),
            ("a key label", PEM.encode(label: "PRIVATE KEY", der: der), "found: PRIVATE KEY"),
            ("TRUSTED CERTIFICATE", PEM.encode(label: "TRUSTED CERTIFICATE", der: der), "trust settings"),
            ("TRUSTED CERTIFICATE after a good one", pem + PEM.encode(label: "TRUSTED CERTIFICATE", der: der), "trust"),
        ]
        for (what, text, message) in cases {
            let error = #expect(throws: PKIError.self, "\(what)") {
                try CertificateDecoder.certificates(from: Array(text.utf8))
            }
            #expect(error?.message.contains(message) == true, "\(what): \(String(describing: error))")
        }
    }

    @Test("two DER certificates back to back are not one certificate")
    func concatenatedDER() throws {
        let der = try TestData.bytes("crafted/good.der")
        let error = #expect(throws: PKIError.self) { try CertificateDecoder.certificates(from: der + der) }
        #expect(error?.message.contains("not PEM or DER") == true)
    }
}
