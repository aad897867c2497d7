import COpenSSL
import DBPKI

/// The OpenSSL (libcrypto 3.x) engine.
///
/// Every call builds its own OpenSSL objects from DER and frees them before it
/// returns, so a value of this type holds no state and may be shared freely
/// between threads.
public struct OpenSSLBackend: PKIBackend {
    /// An engine value; it holds no state, so make one wherever it is needed.
    public init() {}

    /// ``Engine/openssl``.
    public var engine: Engine { .openssl }

    /// OpenSSL writes CRL entry extensions and reads every PKCS#12 bag attribute.
    public var capabilities: EngineCapabilities { [.crlEntryReasons, .pkcs12TrustAttributes] }

    /// `OpenSSL_version(OPENSSL_VERSION)`, such as `OpenSSL 3.0.19 27 Jan 2026`.
    public var libraryVersion: String {
        guard let text = OpenSSL_version(OPENSSL_VERSION) else { return "OpenSSL (unknown version)" }
        return String(cString: text)
    }

    /// Hashes bytes with `EVP_Digest`.
    public func digest(_ algorithm: DigestAlgorithm, _ data: [UInt8]) throws -> [UInt8] {
        OpenSSLErrors.clear()
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = data.withUnsafeBufferPointer { input in
            EVP_Digest(input.baseAddress, input.count, &output, &length, Self.messageDigest(algorithm), nil)
        }
        guard ok == 1 else { throw OpenSSLErrors.error(.engine, "\(algorithm.rawValue) digest failed") }
        return Array(output.prefix(Int(length)))
    }

    /// The `EVP_MD` for a digest algorithm.
    static func messageDigest(_ algorithm: DigestAlgorithm) -> OpaquePointer? {
        switch algorithm {
        case .sha1: EVP_sha1()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
    }

    /// The digest to sign with: none for EdDSA keys (which hash internally), else the requested one.
    static func signingDigest(for key: OpenSSLKey, _ algorithm: DigestAlgorithm) -> OpaquePointer? {
        switch EVP_PKEY_get_base_id(key.pointer) {
        case EVP_PKEY_ED25519, EVP_PKEY_ED448: nil
        default: messageDigest(algorithm)
        }
    }
}
