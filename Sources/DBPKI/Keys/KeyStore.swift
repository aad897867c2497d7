/// How a PKI keeps its private keys at rest: how a new key is written and how a key is
/// read back to sign or to ship.
///
/// A ``PKIStore`` is given its key store once, at init, as it is given its engine and its
/// clock: operations never take one. A protected store (an encrypted key file, a key on a
/// PKCS#11 token) is one more case here, and every command that signs or ships a key uses
/// it without a new parameter.
///
/// A key file says itself whether it is encrypted (its PEM label is `ENCRYPTED PRIVATE KEY`),
/// so the PKI records a CA key's protection in the key file: every command reads it from
/// there and asks ``password`` only for a key that is encrypted.
public struct KeyStore: Sendable {
    /// How the keys this store writes are kept.
    public enum NewKeys: Sendable, Hashable {
        /// PEM PKCS#8 (`-----BEGIN PRIVATE KEY-----`).
        case plain
        /// Encrypted PEM PKCS#8 (`-----BEGIN ENCRYPTED PRIVATE KEY-----`) under ``password``:
        /// PBES2, PBKDF2-HMAC-SHA256 of 600,000 iterations, AES-256-CBC, on either engine.
        case encrypted
    }

    /// Whose key a file holds: a CA's and a certificate's are protected by different
    /// passwords, since a certificate's key (and so its password) goes to a database host.
    public enum Role: Sendable, Hashable {
        /// `ca.key`, `ca-old.key`.
        case ca
        /// `issued/NAME.key`.
        case leaf
    }

    /// How new keys are written.
    public var newKeys: NewKeys
    /// Where the CA key's password comes from, to read or write it encrypted.
    public var password: PasswordSource
    /// Where a certificate key's password comes from, to read or write it encrypted.
    public var keyPassword: PasswordSource

    /// A store that writes `newKeys`, asking `password` for an encrypted CA key and
    /// `keyPassword` for an encrypted certificate key.
    public init(newKeys: NewKeys, password: PasswordSource, keyPassword: PasswordSource = .none) {
        self.newKeys = newKeys
        self.password = password
        self.keyPassword = keyPassword
    }

    /// The source for a key of `role`.
    func source(for role: Role) -> PasswordSource { role == .ca ? password : keyPassword }

    /// PEM PKCS#8 files, mode 0600 from the first byte (`PKI/ca.key`, `PKI/issued/NAME.key`);
    /// an encrypted one cannot be opened.
    public static let plainFiles = KeyStore(newKeys: .plain, password: .none)

    /// The same store, writing new keys as `newKeys`.
    public func writing(_ newKeys: NewKeys) -> KeyStore {
        KeyStore(newKeys: newKeys, password: password, keyPassword: keyPassword)
    }

    /// The bytes written to a key file for `key`: encrypted by `engine` when the store
    /// encrypts new keys (or `encrypt` asks it to), under the password of `role`.
    public func fileContents(
        for key: PrivateKey, role: Role = .ca, using engine: any PKIBackend, encrypt: Bool = false
    ) throws
        -> [UInt8]
    {
        guard newKeys == .encrypted || encrypt else {
            return Array(PEM.encode(label: PrivateKeyFormat.pkcs8.pemLabel, der: key.pkcs8DER).utf8)
        }
        guard let password = try source(for: role).password() else {
            throw PKIError(
                .passwordNeeded, "a new key is to be encrypted and no password was given",
                remedy: Remedy(role == .ca ? .givePassword : .giveKeyPassword))
        }
        let der = try password.withText { try engine.exportEncryptedPrivateKey(key, passphrase: $0) }
        return Array(PEM.encode(label: PrivateKeyFormat.encryptedPKCS8.pemLabel, der: der).utf8)
    }

    /// The key in the file at `path`, decoded by `engine` (an encrypted PKCS#8 key's
    /// derivation cost is checked by the core first; see ``PrivateKey``). An encrypted key is
    /// opened with ``password``: without one it throws `passwordNeeded`, with a wrong one
    /// `badPassphrase`, each naming the file and never the password.
    public func loadKey(at path: String, role: Role = .ca, using engine: any PKIBackend) throws -> PrivateKey {
        try InputFile.decode(path) { bytes in
            let (format, der) = try CertificateDecoder.privateKey(from: bytes)
            guard format == .encryptedPKCS8 else {
                return try PrivateKey(der: der, format: format, passphrase: nil, using: engine)
            }
            try EncryptedKeyCost.check(der)
            guard let password = try source(for: role).password() else {
                throw PKIError(
                    .passwordNeeded, "the key is encrypted and no password was given",
                    remedy: Remedy(role == .ca ? .givePassword : .giveKeyPassword))
            }
            do {
                return try password.withText {
                    try PrivateKey(der: der, format: format, passphrase: $0, using: engine)
                }
            } catch let error as PKIError where error.code == .badPassphrase {
                throw PKIError(.badPassphrase, "the password given does not open this encrypted key")
            }
        }
    }

    /// True when the file at `path` holds an encrypted private key (by its PEM label or DER
    /// outline; no password is needed to tell).
    public static func isEncryptedKeyFile(at path: String) -> Bool {
        guard let bytes = try? InputFile.read(path),
            let (format, _) = try? CertificateDecoder.privateKey(from: bytes)
        else { return false }
        return format == .encryptedPKCS8
    }
}
