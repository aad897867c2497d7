import DBPKI
import DBPKIOpenSSL
import DBPKITestSupport
import Foundation
import Testing

/// What the OpenSSL engine does that the GnuTLS engine does not; everything both engines must
/// share is in the conformance suites.
@Suite("OpenSSL engine")
struct OpenSSLSpecificTests {
    let engine = EngineUnderTest(backend: OpenSSLBackend())
    var backend: any PKIBackend { engine.backend }

    // MARK: Keys

    @Test("reports OpenSSL 3 as its engine and library version")
    func reportsTheLibraryVersion() {
        #expect(backend.engine == .openssl)
        #expect(backend.libraryVersion.hasPrefix("OpenSSL 3."))
    }

    @Test("encrypts keys with exactly 600,000 PBKDF2 iterations, the count it sets itself (GnuTLS keeps its library's)")
    func encryptsWith600000Iterations() throws {
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let encrypted = try backend.exportEncryptedPrivateKey(key, passphrase: "correct horse")
        #expect(try EncryptedKeys.pbkdf2Iterations(of: encrypted) == 600_000)
        #expect(CertificateBytes.contains(encrypted, [0x02, 0x03, 0x09, 0x27, 0xc0]))
    }

    @Test("calls a SEC 1 key on secp256k1 unsupported (GnuTLS cannot tell it from bad DER)")
    func secp256k1IsUnsupported() {
        #expect {
            try backend.importPrivateKey(der: TestVectors.sec1Secp256k1, format: .sec1, passphrase: nil)
        } throws: { ($0 as? PKIError)?.code == .unsupported }
    }

    // MARK: Certificates

    @Test("writes a dNSName with NUL and DEL bytes as given (GnuTLS cuts it at the NUL) and reads it back")
    func writesOddDNSNameBytes() throws {
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let request = CertificateRequest(
            subject: .commonName("odd"), serialNumber: [1], notBefore: TestPKI.now,
            notAfter: TestPKI.now.addingTimeInterval(60), subjectPublicKeyInfo: try backend.publicKeyInfo(of: key),
            subjectAlternativeNames: [.dns("a\u{0}b\u{7f}")])
        let der = try backend.createCertificate(request, issuer: nil, signingKey: key)
        #expect(CertificateBytes.contains(der, [0x82, 0x04, 0x61, 0x00, 0x62, 0x7f]))
        #expect(try backend.parseCertificate(der: der).subjectAlternativeNames == [.dns("a\u{0}b\u{7f}")])
    }

    @Test("refuses a DNS name that is not ASCII (GnuTLS writes its punycode)")
    func refusesANonASCIIDNSName() throws {
        let key = try backend.generatePrivateKey(.ecdsaP256)
        var request = try CertificateRequest.minimal(
            for: key, on: backend, subjectAlternativeNames: [.dns("bucher.example")])
        #expect(throws: Never.self) { try backend.createCertificate(request, issuer: nil, signingKey: key) }
        request.subjectAlternativeNames = [.dns("bücher.example")]
        #expect(throws: PKIError.self) { try backend.createCertificate(request, issuer: nil, signingKey: key) }
    }

    // MARK: Verification

    @Test("names the depth of each certificate outside its validity, the anchor's included (GnuTLS names none)")
    func namesTheDepthOfTimeFailures() throws {
        let chain = try WebChain(engine)
        let late = try chain.verify(policy: TestPKI.policy(at: TestPKI.now.addingTimeInterval(900 * TestPKI.day)))
        #expect(late.reasons == [.expired] && late.failures.first?.depth == 0, "\(late.failures)")
        // Before the chain was made every certificate on the path is not yet valid.
        let early = try chain.verify(policy: TestPKI.policy(at: TestPKI.now.addingTimeInterval(-TestPKI.day)))
        #expect(Set(early.failures.compactMap(\.depth)) == [0, 1, 2], "\(early.failures)")
        let (leaf, oldRoot) = try chain.leafUnderExpiredRoot()
        let result = try chain.verify(leaf, intermediates: [], anchors: [oldRoot])
        #expect(result.reasons == [.expired] && result.failures.map(\.depth) == [1], "\(result.failures)")
    }

    @Test("checks the key size of every issuer, the anchor included, and names the anchor's depth")
    func namesTheDepthOfASmallAnchorKey() throws {
        let chain = try WebChain(engine)
        let smallKey = try backend.importPrivateKey(der: TestVectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
        let smallRoot = try chain.pki.custom(subject: "Small Root", key: smallKey, by: nil) {
            $0.isCA = true
            $0.keyUsage = [.keyCertSign, .cRLSign]
            $0.extendedKeyUsage = []
        }
        let leaf = try chain.pki.custom(subject: "ok.example", by: smallRoot) {
            $0.subjectAlternativeNames = [.dns("ok.example")]
        }
        let result = try chain.verify(leaf, intermediates: [], anchors: [smallRoot])
        #expect(result.reasons == [.insecureAlgorithm] && result.failures.first?.depth == 1, "\(result.failures)")
    }

    @Test(
        "wants a server leaf's keyUsage to allow a TLS key exchange (GnuTLS does not), and names an intermediate without serverAuth at its depth"
    )
    func appliesItsPurposeRules() throws {
        let chain = try WebChain(engine)
        let (leaf, clientCA) = try chain.serverLeafUnderClientOnlyCA()
        let result = try chain.verify(leaf, intermediates: [clientCA])
        #expect(result.reasons == [.purposeMismatch] && result.failures.first?.depth == 1, "\(result.failures)")
        // digitalSignature, keyEncipherment or keyAgreement; dataEncipherment alone is not enough.
        let kuLeaf = try chain.pki.custom(subject: "ku.example", by: chain.intermediate) {
            $0.keyUsage = [.dataEncipherment]
            $0.subjectAlternativeNames = [.dns("ku.example")]
        }
        let ku = try chain.verify(kuLeaf)
        #expect(ku.reasons == [.purposeMismatch], "\(ku.failures)")
    }

    // MARK: CRLs

    @Test("writes every CRL entry reason, removeFromCRL included, in the request's order (GnuTLS writes none)")
    func writesCRLEntryReasons() throws {
        let chain = try WebChain(engine)
        let thisUpdate = Date(timeIntervalSince1970: 1_750_000_000)
        let entries = [
            RevokedCertificate(serialNumber: [0x7f, 0x01], revocationDate: thisUpdate, reason: .keyCompromise),
            RevokedCertificate(serialNumber: [0x00, 0x80], revocationDate: thisUpdate.addingTimeInterval(1)),
            RevokedCertificate(serialNumber: [0x05], revocationDate: thisUpdate, reason: .removeFromCRL),
        ]
        let request = CRLRequest(
            thisUpdate: thisUpdate, nextUpdate: thisUpdate.addingTimeInterval(86_400), crlNumber: [0x01, 0x00],
            revoked: entries, authorityKeyIdentifier: chain.intermediate.info.subjectKeyIdentifier, digest: .sha384)
        let der = try backend.createCRL(request, issuer: chain.intermediate.der, signingKey: chain.intermediate.key)
        let info = try backend.parseCRL(der: der)
        #expect(info.revoked == entries)
        #expect(info.crlNumber == [0x01, 0x00] && info.signatureAlgorithmOID == "1.2.840.10045.4.3.3")
    }
}
