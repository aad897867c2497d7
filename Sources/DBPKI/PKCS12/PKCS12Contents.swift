/// What a PKCS#12 file (`.p12`, `.pfx`) holds, as dbpki writes and reads it: at most one
/// private key, and certificates, each with the attributes Java, Windows and OpenSSL look at.
///
/// Engines encode and decode it (``PKIBackend/createPKCS12(_:password:)``,
/// ``PKIBackend/readPKCS12(der:password:includeKey:)``); the core decides what goes in:
/// a keystore (key, certificate, chain, linked by one local key id) or a truststore (CA
/// certificates marked trusted for Java).
public struct PKCS12Contents: Sendable {
    /// One certificate bag.
    public struct Certificate: Sendable, Hashable {
        /// The certificate's DER.
        public var der: [UInt8]
        /// The `friendlyName` attribute: the alias Java and keytool show.
        public var friendlyName: String?
        /// The `localKeyId` attribute, equal to the key's when this is the key's certificate.
        public var localKeyID: [UInt8]?
        /// True when the bag carries Java's trusted-key-usage attribute
        /// (``PKCS12Encoding/javaTrustedKeyUsageOID`` with anyExtendedKeyUsage): without it,
        /// Java's `KeyStore` does not load a lone certificate as a trustedCertEntry. Read back
        /// only by an engine with ``EngineCapabilities/pkcs12TrustAttributes`` (GnuTLS drops bag
        /// attributes it does not know, and reports false).
        public var trustedForJava: Bool

        /// Makes a certificate bag.
        public init(der: [UInt8], friendlyName: String? = nil, localKeyID: [UInt8]? = nil, trustedForJava: Bool = false)
        {
            self.der = der
            self.friendlyName = friendlyName
            self.localKeyID = localKeyID
            self.trustedForJava = trustedForJava
        }
    }

    /// The key bag (written shrouded, as PKCS#8 `EncryptedPrivateKeyInfo`).
    public struct Key: Sendable {
        /// The key.
        public var key: PrivateKey
        /// The `friendlyName` attribute.
        public var friendlyName: String?
        /// The `localKeyId` attribute linking the key to its certificate.
        public var localKeyID: [UInt8]?

        /// Makes a key bag.
        public init(key: PrivateKey, friendlyName: String? = nil, localKeyID: [UInt8]? = nil) {
            self.key = key
            self.friendlyName = friendlyName
            self.localKeyID = localKeyID
        }
    }

    /// The private key, if any (a truststore has none).
    public var key: Key?
    /// The certificates: for a keystore the key's certificate first, then its chain.
    public var certificates: [Certificate]
    /// How the file is protected.
    public var protection: PKCS12Protection

    /// Makes contents bag by bag.
    public init(key: Key?, certificates: [Certificate], protection: PKCS12Protection) {
        self.key = key
        self.certificates = certificates
        self.protection = protection
    }

    /// A keystore: `key`, its certificate (`chain[0]`) and the rest of `chain`. The key and
    /// its certificate share the local key id (what Java and Windows pair them by) and the
    /// friendly name `name`, which becomes the entry's alias.
    public static func keystore(
        name: String, key: PrivateKey, chain: [[UInt8]], localKeyID: [UInt8], protection: PKCS12Protection
    ) throws -> PKCS12Contents {
        guard let leaf = chain.first else { throw PKIError(.invalidArgument, "a keystore needs a certificate") }
        var certificates = [Certificate(der: leaf, friendlyName: name, localKeyID: localKeyID)]
        certificates += chain.dropFirst().map { Certificate(der: $0) }
        return PKCS12Contents(
            key: Key(key: key, friendlyName: name, localKeyID: localKeyID), certificates: certificates,
            protection: protection)
    }

    /// A truststore: each certificate under its alias, marked trusted for Java, no key.
    public static func truststore(_ entries: [(alias: String, der: [UInt8])], protection: PKCS12Protection)
        -> PKCS12Contents
    {
        PKCS12Contents(
            key: nil,
            certificates: entries.map { Certificate(der: $0.der, friendlyName: $0.alias, trustedForJava: true) },
            protection: protection)
    }
}

extension PKCS12Contents {
    /// Reads a PKCS#12 file through `engine`, with dbpki's limits applied first (see
    /// ``PKCS12Outline``): a file without a MAC, or one whose key derivations ask for more
    /// work than ``EncryptedKeyCost`` allows, is refused before any engine derives anything.
    /// Without `password` the empty password is tried (what `-passout pass:` writes); a
    /// wrong or missing one is ``PKIError/Code-swift.struct/badPassphrase``. The key is
    /// decrypted only when `includeKey` is true. Every PKCS#12 file the core reads comes
    /// through here.
    public init(der: [UInt8], password: String?, includeKey: Bool, using engine: any PKIBackend) throws {
        try PKCS12Outline.check(der)
        self = try engine.readPKCS12(der: der, password: password, includeKey: includeKey)
    }
}

extension PKCS12Contents {
    /// Whether the certificate bags are encrypted: always under ``PKCS12Protection/aes256``;
    /// under ``PKCS12Protection/legacy`` only when no bag carries the Java trust attribute
    /// (see there). Both engines follow this, so their files have the same shape.
    public var encryptsCertificates: Bool {
        protection == .aes256 || !certificates.contains(where: \.trustedForJava)
    }
}
