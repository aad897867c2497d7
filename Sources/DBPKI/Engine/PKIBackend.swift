/// A crypto engine behind dbpki. OpenSSL and GnuTLS each implement it; the
/// core speaks only this protocol and only in DER bytes and Swift values, so a
/// key or certificate made by one engine is used by the other unchanged.
///
/// Engines encode, sign, parse and verify; they never decide policy. Every
/// choice (which extensions, which purposes count, how names match) arrives in
/// the request or the ``VerificationPolicy``.
///
/// Errors are ``PKIError``s. Failing validation is not an error: ``verify(_:)``
/// returns a ``VerificationResult``.
public protocol PKIBackend: Sendable {
    /// Which engine this is, for reports and disagreement records.
    var engine: Engine { get }

    /// What this engine can do beyond the required operations. The core reads it before
    /// asking for something only some engines do (such as CRL reason codes).
    var capabilities: EngineCapabilities { get }

    /// The linked library's version text, such as `OpenSSL 3.0.19 ...` or `GnuTLS 3.7.9`.
    var libraryVersion: String { get }

    /// A fresh key of `type`, held as unencrypted PKCS#8 so the other engine can use it too.
    func generatePrivateKey(_ type: KeyType) throws -> PrivateKey

    /// Decodes a private key from DER in the given format. An encrypted key needs
    /// the passphrase; without one, or with a wrong one, this throws
    /// ``PKIError/Code-swift.struct/badPassphrase`` and never prompts. The engine derives
    /// whatever the key asks for: the core bounds that first, so read keys through
    /// ``PrivateKey/init(der:format:passphrase:using:)``, not by calling this directly.
    func importPrivateKey(der: [UInt8], format: PrivateKeyFormat, passphrase: String?) throws -> PrivateKey

    /// Encrypts a key as PKCS#8 `EncryptedPrivateKeyInfo` DER (PBES2, PBKDF2 with
    /// HMAC-SHA256, AES-256-CBC).
    func exportEncryptedPrivateKey(_ key: PrivateKey, passphrase: String) throws -> [UInt8]

    /// The key's public half as SubjectPublicKeyInfo DER.
    func publicKeyInfo(of key: PrivateKey) throws -> [UInt8]

    /// Hashes `data`; the core uses it for fingerprints and key identifiers.
    func digest(_ algorithm: DigestAlgorithm, _ data: [UInt8]) throws -> [UInt8]

    /// Encodes and signs a certificate. With `issuer` nil the certificate is
    /// self-signed (issuer name = subject name) and `signingKey` must be the
    /// subject's key; otherwise the issuer name is copied from `issuer` (DER).
    func createCertificate(_ request: CertificateRequest, issuer: [UInt8]?, signingKey: PrivateKey) throws -> [UInt8]

    /// Reads one DER certificate into the values the core compares across engines and judges.
    func parseCertificate(der: [UInt8]) throws -> CertificateInfo

    /// True when the private key is the one whose public key the certificate carries.
    func privateKey(_ key: PrivateKey, matchesCertificate der: [UInt8]) throws -> Bool

    /// Builds and validates a path under the request's policy, and returns the path it judged
    /// so the core can apply its own rules to the same certificates.
    func verify(_ request: VerificationRequest) throws -> VerificationResult

    /// Encodes and signs a CRL issued by `issuer` (DER), signed with `signingKey`.
    func createCRL(_ request: CRLRequest, issuer: [UInt8], signingKey: PrivateKey) throws -> [UInt8]

    /// Reads one DER CRL, for revocation checks and for showing what a CRL holds.
    func parseCRL(der: [UInt8]) throws -> CRLInfo

    /// Encodes a PKCS#10 certificate signing request for `key`'s public key and signs it with
    /// `key` (the request's proof that its maker holds the key).
    func createSigningRequest(_ template: SigningRequestTemplate, key: PrivateKey) throws -> [UInt8]

    /// Reads one DER PKCS#10 request (every byte must belong to it) and checks its
    /// self-signature; a signature that fails is reported in the result, not thrown, so the
    /// core decides what to do with it.
    func parseSigningRequest(der: [UInt8]) throws -> CertificateSigningRequest

    /// Encodes a PKCS#12 file (PFX DER) of `contents`, encrypted and MAC-protected with
    /// `password` under ``PKCS12Contents/protection``. The key goes into a shrouded key bag;
    /// every certificate bag keeps its friendlyName, localKeyId and Java trust attributes.
    func createPKCS12(_ contents: PKCS12Contents, password: String) throws -> [UInt8]

    /// Decodes a PKCS#12 file: checks its MAC with `password` (nil: the empty password), then
    /// returns its certificates (from clear and encrypted bags) and, only when `includeKey`,
    /// its decrypted key. A wrong or missing password is
    /// ``PKIError/Code-swift.struct/badPassphrase``. The core bounds the file's cost first:
    /// read through ``PKCS12Contents/init(der:password:includeKey:using:)``.
    func readPKCS12(der: [UInt8], password: String?, includeKey: Bool) throws -> PKCS12Contents
}
