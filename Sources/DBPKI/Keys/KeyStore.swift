/// How a PKI keeps its private keys at rest: how a new key is written and how a key is
/// read back to sign or to ship.
///
/// A ``PKIStore`` is given its key store once, at init, as it is given its engine and its
/// clock: operations never take one. A protected store (an encrypted key file, a key on a
/// PKCS#11 token) is one more case here, and every command that signs or ships a key uses
/// it without a new parameter.
public enum KeyStore: Sendable, Hashable {
    /// PEM PKCS#8 files (`-----BEGIN PRIVATE KEY-----`), mode 0600 from the first byte:
    /// `PKI/ca.key` and `PKI/issued/NAME.key`.
    case plainFiles

    /// The bytes written to a key file for `key`.
    public func fileContents(for key: PrivateKey) -> [UInt8] {
        switch self {
        case .plainFiles: Array(PEM.encode(label: PrivateKeyFormat.pkcs8.pemLabel, der: key.pkcs8DER).utf8)
        }
    }

    /// The key in the file at `path`, decoded by `engine` (an encrypted PKCS#8 key's
    /// derivation cost is checked by the core first; see ``PrivateKey``).
    public func loadKey(at path: String, using engine: any PKIBackend) throws -> PrivateKey {
        switch self {
        case .plainFiles:
            try InputFile.decode(path) { bytes in
                let (format, der) = try CertificateDecoder.privateKey(from: bytes)
                return try PrivateKey(der: der, format: format, passphrase: nil, using: engine)
            }
        }
    }
}
