import COpenSSL
import DBPKI

/// PLACEHOLDER skeleton: replaced by the real engine before the first commit of this target.
public struct OpenSSLBackend: PKIBackend {
    public init() {}
    public var engine: Engine { .openssl }
    public var libraryVersion: String { "unimplemented" }
    private func todo() -> PKIError { PKIError(.unsupported, "openssl backend not implemented yet") }
    public func generatePrivateKey(_ type: KeyType) throws -> PrivateKey { throw todo() }
    public func importPrivateKey(der: [UInt8], format: PrivateKeyFormat, passphrase: String?) throws -> PrivateKey { throw todo() }
    public func exportEncryptedPrivateKey(_ key: PrivateKey, passphrase: String) throws -> [UInt8] { throw todo() }
    public func publicKeyInfo(of key: PrivateKey) throws -> [UInt8] { throw todo() }
    public func digest(_ algorithm: DigestAlgorithm, _ data: [UInt8]) throws -> [UInt8] { throw todo() }
    public func createCertificate(_ request: CertificateRequest, issuer: [UInt8]?, signingKey: PrivateKey) throws -> [UInt8] { throw todo() }
    public func parseCertificate(der: [UInt8]) throws -> CertificateInfo { throw todo() }
    public func privateKey(_ key: PrivateKey, matchesCertificate der: [UInt8]) throws -> Bool { throw todo() }
    public func verify(_ request: VerificationRequest) throws -> VerificationResult { throw todo() }
    public func createCRL(_ request: CRLRequest, issuer: [UInt8], signingKey: PrivateKey) throws -> [UInt8] { throw todo() }
    public func parseCRL(der: [UInt8]) throws -> CRLInfo { throw todo() }
}
