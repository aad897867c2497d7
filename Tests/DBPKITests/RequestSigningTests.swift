import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Signing a certificate request: what the core trusts of it and what it records")
struct RequestSigningTests {
    static func request(
        names: [SubjectAlternativeName] = [], key: PublicKeyDescription = KeyType.ecdsaP256.publicKeyDescription,
        requestsCA: Bool = false, verifies: Bool = true
    ) -> CertificateSigningRequest {
        CertificateSigningRequest(
            der: [], subject: "CN=host", subjectPublicKeyInfo: [], publicKey: key, requestedNames: names,
            requestsCA: requestsCA, signatureAlgorithmOID: "1.2.840.10045.4.3.2", signatureVerifies: verifies)
    }

    @Test("one key-strength rule: RSA below 2048, EC below P-256 and DSA are weak; the rest is not")
    func keyStrength() {
        let cases: [(PublicKeyDescription, Bool)] = [
            (PublicKeyDescription(algorithm: .rsa, bits: 1024, curve: nil), true),
            (PublicKeyDescription(algorithm: .rsa, bits: 2047, curve: nil), true),
            (PublicKeyDescription(algorithm: .rsa, bits: 2048, curve: nil), false),
            (PublicKeyDescription(algorithm: .init(name: "1.2.840.113549.1.1.10"), bits: 1024, curve: nil), true),
            (PublicKeyDescription(algorithm: .ec, bits: 192, curve: "P-192"), true),
            (PublicKeyDescription(algorithm: .ec, bits: 224, curve: "P-224"), true),
            (PublicKeyDescription(algorithm: .ec, bits: 256, curve: "P-256"), false),
            (PublicKeyDescription(algorithm: .dsa, bits: 3072, curve: nil), true),
            (KeyType.ed25519.publicKeyDescription, false),
        ]
        for (key, weak) in cases {
            #expect(key.isWeak == weak, "\(key)")
        }
    }

    @Test("a request is refused as a leaf for a bad signature, a weak key or a CA request, in that order")
    func leafChecks() throws {
        #expect(throws: Never.self) { try Self.request().checkForLeaf() }
        let weak = PublicKeyDescription(algorithm: .rsa, bits: 1024, curve: nil)
        let cases: [(CertificateSigningRequest, String)] = [
            (Self.request(key: weak, requestsCA: true, verifies: false), "signature does not verify"),
            (Self.request(key: weak, requestsCA: true), "weaker than RSA-2048 or P-256"),
            (Self.request(requestsCA: true), "asks for a CA certificate"),
        ]
        for (request, message) in cases {
            let error = #expect(throws: PKIError.self) { try request.checkForLeaf() }
            #expect(error?.code == .invalidInput)
            #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        }
    }

    @Test("requested names are taken as --dns and --ip would be, and anything else is refused")
    func requestedNames() throws {
        let names = try Self.request(names: [.dns("db1.example.com"), .ip(IPAddress("10.0.0.5")!)])
            .requestedHostNames()
        #expect(names.dns == ["db1.example.com"])
        #expect(names.ips == [IPAddress("10.0.0.5")!])
        for bad in [SubjectAlternativeName.email("a@b.c"), .uri("https://x"), .dns("not a name"), .dns("10.0.0.5")] {
            let error = #expect(throws: PKIError.self) { try Self.request(names: [bad]).requestedHostNames() }
            #expect(error?.code == .invalidInput, "\(bad)")
        }
    }
}
