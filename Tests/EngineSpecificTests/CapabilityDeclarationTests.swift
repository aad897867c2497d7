import DBPKI
import DBPKIOpenSSL
import DBPKITestSupport
import Foundation
import Testing

/// An engine that declares fewer capabilities than it has, forwarding every operation:
/// if the core asked the engine instead of the declaration, the call would succeed.
private struct UnderstatedEngine: PKIBackend {
    let base: any PKIBackend
    let capabilities: EngineCapabilities

    var engine: Engine { base.engine }
    var libraryVersion: String { base.libraryVersion }
    func generatePrivateKey(_ type: KeyType) throws -> PrivateKey { try base.generatePrivateKey(type) }
    func importPrivateKey(der: [UInt8], format: PrivateKeyFormat, passphrase: String?) throws -> PrivateKey {
        try base.importPrivateKey(der: der, format: format, passphrase: passphrase)
    }
    func exportEncryptedPrivateKey(_ key: PrivateKey, passphrase: String) throws -> [UInt8] {
        try base.exportEncryptedPrivateKey(key, passphrase: passphrase)
    }
    func createPKCS12(_ contents: PKCS12Contents, password: String) throws -> [UInt8] {
        try base.createPKCS12(contents, password: password)
    }
    func readPKCS12(der: [UInt8], password: String?, includeKey: Bool) throws -> PKCS12Contents {
        try base.readPKCS12(der: der, password: password, includeKey: includeKey)
    }
    func publicKeyInfo(of key: PrivateKey) throws -> [UInt8] { try base.publicKeyInfo(of: key) }
    func digest(_ algorithm: DigestAlgorithm, _ data: [UInt8]) throws -> [UInt8] { try base.digest(algorithm, data) }
    func createCertificate(_ request: CertificateRequest, issuer: [UInt8]?, signingKey: PrivateKey) throws -> [UInt8] {
        try base.createCertificate(request, issuer: issuer, signingKey: signingKey)
    }
    func parseCertificate(der: [UInt8]) throws -> CertificateInfo { try base.parseCertificate(der: der) }
    func privateKey(_ key: PrivateKey, matchesCertificate der: [UInt8]) throws -> Bool {
        try base.privateKey(key, matchesCertificate: der)
    }
    func verify(_ request: VerificationRequest) throws -> VerificationResult { try base.verify(request) }
    func createCRL(_ request: CRLRequest, issuer: [UInt8], signingKey: PrivateKey) throws -> [UInt8] {
        try base.createCRL(request, issuer: issuer, signingKey: signingKey)
    }
    func parseCRL(der: [UInt8]) throws -> CRLInfo { try base.parseCRL(der: der) }
    func createSigningRequest(_ template: SigningRequestTemplate, key: PrivateKey) throws -> [UInt8] {
        try base.createSigningRequest(template, key: key)
    }
    func parseSigningRequest(der: [UInt8]) throws -> CertificateSigningRequest {
        try base.parseSigningRequest(der: der)
    }
}

/// The core decides from an engine's declaration; these run on OpenSSL wrapped to declare less
/// than it can, so a call the core should not have made would succeed instead of failing.
@Suite("The core decides from an engine's declared capabilities, before it asks the engine")
struct CapabilityDeclarationTests {
    @Test("a CRL with reasons is refused from the declaration, before OpenSSL (which could write it) is asked")
    func crlReasonsFollowTheDeclaration() throws {
        let pki = try TemporaryPKI()
        let engine = UnderstatedEngine(base: OpenSSLBackend(), capabilities: [])
        do {
            let store = try PKIStore(
                pki.directory, backend: engine, clock: { TestPKI.now }, options: .init(create: true))
            try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 3650)
            try store.issue(name: "a", profile: .client(name: "a"), keyType: .ecdsaP256)
            try store.revoke(name: "a", reason: .keyCompromise)

            let error = #expect(throws: PKIError.self) { try store.makeCRL() }
            #expect(error?.code == .unsupported, "\(String(describing: error))")
            #expect(
                error?.message.contains("cannot write CRL reason codes (1 revoked certificate carries one)") == true)
            #expect(try store.makeCRL(includeReasons: false).number == 1)  // no number was used up
        }
        // The same PKI opened (after the first store let go of its lock) on the full engine.
        let full = try PKIStore(pki.directory, backend: OpenSSLBackend(), clock: { TestPKI.now })
        #expect(try full.makeCRL().info.revoked.map(\.reason) == [.keyCompromise])
    }
}
