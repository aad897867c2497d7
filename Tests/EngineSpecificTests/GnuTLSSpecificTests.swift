import DBPKIGnuTLS
import DBPKITestSupport
import Foundation
import Testing

@testable import DBPKI

/// What the GnuTLS engine does that the OpenSSL engine does not; everything both engines must
/// share is in the conformance suites.
@Suite("GnuTLS engine")
struct GnuTLSSpecificTests {
    let engine = EngineUnderTest(backend: GnuTLSBackend())
    var backend: any PKIBackend { engine.backend }

    @Test("reports GnuTLS 3 as its engine and library version")
    func reportsItsVersion() {
        #expect(backend.libraryVersion.hasPrefix("GnuTLS 3."))
        #expect(backend.engine == .gnutls)
    }

    @Test(
        "encrypts keys with its library's 600,000 PBKDF2 iterations (it cannot be told a count; OpenSSL's engine sets the same)"
    )
    func encryptsWithTheLibrarysIterations() throws {
        let key = try backend.generatePrivateKey(.ecdsaP256)
        let encrypted = try backend.exportEncryptedPrivateKey(key, passphrase: "correct horse")
        #expect(try EncryptedKeys.pbkdf2Iterations(of: encrypted) == 600_000)
        // Still under the core's cap, so the key opens.
        #expect(throws: Never.self) { try EncryptedKeyCost.check(encrypted) }
    }

    @Test(
        "the SEC 1 key inside its PKCS#8 EC keys names its curve, so it imports on its own, as SEC 1 only (OpenSSL leaves the curve out)"
    )
    func innerSEC1KeyImports() throws {
        let ec = try backend.generatePrivateKey(.ecdsaP384)
        let sec1 = try EncryptedKeys.innerKey(ofPKCS8: ec.pkcs8DER)
        let imported = try backend.importPrivateKey(der: sec1, format: .sec1, passphrase: nil)
        #expect(try backend.publicKeyInfo(of: imported) == backend.publicKeyInfo(of: ec))
        #expect {
            try backend.importPrivateKey(der: sec1, format: .pkcs1, passphrase: nil)
        } throws: { ($0 as? PKIError)?.code == .invalidInput }
    }

    @Test("reports a CA whose keyUsage lacks keyCertSign as no CA and nothing else (OpenSSL adds purpose-mismatch)")
    func caWithoutKeyCertSignIsOnlyNotCA() throws {
        let chain = try WebChain(engine)
        let (leaf, ca) = try chain.leafUnderCAWithoutKeyCertSign()
        let result = try chain.verify(leaf, intermediates: [ca])
        #expect(result.reasons == [.notCA], "\(result.failures)")
    }

    @Test("reads a subject whose UTF8String is not UTF-8, so dbpki's name rule is what rejects it")
    func nonUTF8NameIsLeftToTheRule() throws {
        let crafted = try CertificateDecoder.certificates(from: TestData.bytes("crafted/non-utf8-name.crt"))[0]
        let root = try CertificateDecoder.certificates(from: TestData.bytes("crafted/root.crt"))[0]
        let info = try backend.parseCertificate(der: crafted)
        // Inside every crafted certificate's validity (2026-01-01 to 2046-01-01).
        let request = VerificationRequest(
            leaf: crafted, trustAnchors: [root],
            policy: VerificationPolicy(
                time: Date(timeIntervalSince1970: 1_893_456_000), purpose: .server, peer: .dns("db1.example.com")))
        let outcome = try ChainVerifier(engines: [backend]).verify(request)
        #expect(!outcome.isValid)
        #expect(outcome.results[0].failures.contains { $0.message.contains("not valid UTF-8") }, "\(info.subject)")
        let good = try CertificateDecoder.certificates(from: TestData.bytes("crafted/good.crt"))[0]
        #expect(NameEncodingRule.problem(inCertificate: good) == nil)
    }

    @Test("refuses to write CRL entry reasons rather than drop them (GnuTLS 3.7 has no API for entry extensions)")
    func refusesReasonCodesItCannotWrite() throws {
        let root = try TestPKI(engine).root()
        let request = CRLRequest(
            thisUpdate: TestPKI.now, nextUpdate: TestPKI.now.addingTimeInterval(TestPKI.day), crlNumber: [2],
            revoked: [RevokedCertificate(serialNumber: [5], revocationDate: TestPKI.now, reason: .keyCompromise)],
            authorityKeyIdentifier: nil)
        #expect {
            try backend.createCRL(request, issuer: root.der, signingKey: root.key)
        } throws: { ($0 as? PKIError)?.code == .unsupported }
    }

    @Test(
        "takes no revocation from a CRL whose signature failed and reports only the unusable CRL (OpenSSL also reports the leaf revoked)"
    )
    func takesNothingFromAForgedCRL() throws {
        let chain = try WebChain(engine)
        let request = CRLRequest(
            thisUpdate: TestPKI.now.addingTimeInterval(-60), nextUpdate: TestPKI.now.addingTimeInterval(TestPKI.day),
            crlNumber: [1],
            revoked: [RevokedCertificate(serialNumber: chain.leaf.info.serialNumber, revocationDate: TestPKI.now)],
            authorityKeyIdentifier: chain.intermediate.info.subjectKeyIdentifier)
        // Named the intermediate's, signed with the root's key.
        let forged = try backend.createCRL(request, issuer: chain.intermediate.der, signingKey: chain.root.key)
        let result = try chain.verify(crls: [forged])
        #expect(result.reasons == [.invalidCRL], "\(result.failures)")
    }
}
