/// How a PKCS#12 file dbpki writes is protected. The core chooses; each engine writes the
/// algorithms named here with its own library calls.
public enum PKCS12Protection: String, Sendable, Hashable, CaseIterable {
    /// PBES2 (PBKDF2 with HMAC-SHA256, AES-256-CBC) for the key and certificate bags and an
    /// HMAC-SHA256 MAC: what Java 8u301 and later, OpenSSL 1.1.1+ and GnuTLS read.
    case aes256
    /// pbeWithSHAAnd3-KeyTripleDES-CBC for the key and certificate bags and an HMAC-SHA1
    /// MAC, for readers older than PBES2 in PKCS#12 (Windows before Server 2019, Java 8
    /// before 8u301). A legacy truststore's certificates are left unencrypted: they are
    /// public, the SHA-1 MAC still guards them, and GnuTLS offers no 3DES PKCS#12
    /// encryption of a bag it did not encode itself (the Java trust attribute).
    case legacy

    /// PBKDF2 iterations dbpki asks for where the engine lets it choose (OpenSSL; GnuTLS's
    /// key and certificate bags use its own count). Well below ``EncryptedKeyCost``'s cap.
    public static let iterations = 100_000
    /// Iterations of the PKCS#12 MAC key derivation where the engine lets dbpki choose.
    public static let macIterations = 10_000
}
