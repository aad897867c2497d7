import CGnuTLS
import CGnuTLSShims
import DBPKI

/// The GnuTLS engine: a ``PKIBackend`` over the system's libgnutls (3.7 or later).
///
/// Every call works on C objects it creates and frees itself, so one value can
/// be used from any number of threads at once. Verification "as of" a given time
/// uses a thread-local clock override, so it never changes the clock other
/// threads see.
public struct GnuTLSBackend: PKIBackend {
    /// The result of `gnutls_global_init`, run once (Swift runs a `static let` initializer once, thread-safely).
    private static let initialization: Int32 = {
        let code = gnutls_global_init()
        dbpki_gnutls_install_time_hook()
        return code
    }()

    /// Makes the engine; GnuTLS itself is initialized on first use.
    public init() {}

    /// Initializes GnuTLS once and throws if that failed.
    static func ready() throws {
        try GnuTLSError.check(initialization, "cannot initialize GnuTLS")
    }

    /// ``Engine/gnutls``.
    public var engine: Engine { .gnutls }

    /// None: GnuTLS 3.7 cannot write CRL entry extensions, and drops unknown PKCS#12 bag attributes.
    public var capabilities: EngineCapabilities { [] }

    /// `GnuTLS` and the linked library's version, such as `GnuTLS 3.7.9`.
    public var libraryVersion: String {
        guard let version = gnutls_check_version(nil) else { return "GnuTLS" }
        return "GnuTLS " + String(cString: version)
    }

    /// Hashes bytes with `gnutls_hash_fast`.
    public func digest(_ algorithm: DigestAlgorithm, _ data: [UInt8]) throws -> [UInt8] {
        try Self.ready()
        let kind = Self.gnutlsDigest(algorithm)
        var output = [UInt8](repeating: 0, count: Int(gnutls_hash_get_len(kind)))
        let code = data.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                gnutls_hash_fast(kind, input.baseAddress, input.count, out.baseAddress)
            }
        }
        try GnuTLSError.check(code, "cannot hash")
        return output
    }

    /// The GnuTLS identifier of a digest.
    static func gnutlsDigest(_ algorithm: DigestAlgorithm) -> gnutls_digest_algorithm_t {
        switch algorithm {
        case .sha1: GNUTLS_DIG_SHA1
        case .sha256: GNUTLS_DIG_SHA256
        case .sha384: GNUTLS_DIG_SHA384
        case .sha512: GNUTLS_DIG_SHA512
        }
    }
}
