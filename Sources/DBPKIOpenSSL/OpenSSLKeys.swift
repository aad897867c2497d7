import COpenSSL
import DBPKI

extension OpenSSLBackend {
    /// PBKDF2 iterations for exported keys: OWASP's 2023 figure for PBKDF2-HMAC-SHA256, and
    /// the count GnuTLS 3.7 writes by itself (it cannot be told one), so a key is as hard to
    /// guess whichever engine wrote it.
    static let pbkdf2Iterations: Int32 = 600_000

    /// Algorithm OIDs of private keys dbpki can use (RSA, EC, Ed25519, Ed448).
    static let supportedKeyAlgorithmOIDs: Set<String> = [
        "1.2.840.113549.1.1.1", "1.2.840.10045.2.1", "1.3.101.112", "1.3.101.113",
    ]

    /// Generates a key with `EVP_PKEY_generate`: named-curve EC keys, RSA with e = 65537, or Ed25519.
    public func generatePrivateKey(_ type: KeyType) throws -> PrivateKey {
        OpenSSLErrors.clear()
        let algorithm =
            switch type {
            case .ecdsaP256, .ecdsaP384: "EC"
            case .rsa2048, .rsa3072, .rsa4096: "RSA"
            case .ed25519: "ED25519"
            }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
            throw OpenSSLErrors.error(.engine, "cannot generate \(type.rawValue) keys")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot generate \(type.rawValue) keys")
        }
        let configured: Int32 =
            switch type {
            case .ecdsaP256: EVP_PKEY_CTX_set_group_name(context, "P-256")
            case .ecdsaP384: EVP_PKEY_CTX_set_group_name(context, "P-384")
            case .rsa2048: EVP_PKEY_CTX_set_rsa_keygen_bits(context, 2048)
            case .rsa3072: EVP_PKEY_CTX_set_rsa_keygen_bits(context, 3072)
            case .rsa4096: EVP_PKEY_CTX_set_rsa_keygen_bits(context, 4096)
            case .ed25519: 1
            }
        guard configured > 0 else { throw OpenSSLErrors.error(.engine, "cannot set up \(type.rawValue) generation") }
        var generated: OpaquePointer?
        guard EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw OpenSSLErrors.error(.engine, "\(type.rawValue) key generation failed")
        }
        return try Self.privateKey(from: OpenSSLKey(generated))
    }

    /// Decodes a private key in any of the four formats and returns it as unencrypted PKCS#8.
    public func importPrivateKey(der: [UInt8], format: PrivateKeyFormat, passphrase: String?) throws -> PrivateKey {
        OpenSSLErrors.clear()
        let key: OpenSSLKey
        switch format {
        case .pkcs8:
            key = try Self.loadPKCS8(der)
        case .encryptedPKCS8:
            key = try Self.decryptPKCS8(der, passphrase: passphrase)
        case .pkcs1:
            // RSAPrivateKey ::= SEQUENCE { version INTEGER, modulus INTEGER, ... }
            key = try Self.decodeTypeSpecific(der, keyType: "RSA", secondTag: 0x02, what: "PKCS#1 RSA private key")
        case .sec1:
            // ECPrivateKey ::= SEQUENCE { version INTEGER, privateKey OCTET STRING, ... }
            key = try Self.decodeTypeSpecific(der, keyType: "EC", secondTag: 0x04, what: "SEC 1 EC private key")
        }
        let description = try Self.checkedDescription(of: key)
        return PrivateKey(pkcs8DER: try Self.pkcs8DER(of: key), publicKeyDescription: description)
    }

    /// Encrypts a key as PKCS#8 `EncryptedPrivateKeyInfo`: PBES2 with PBKDF2-HMAC-SHA256
    /// (16-byte random salt, ``pbkdf2Iterations`` iterations) and AES-256-CBC.
    public func exportEncryptedPrivateKey(_ key: PrivateKey, passphrase: String) throws -> [UInt8] {
        OpenSSLErrors.clear()
        _ = try Self.loadKey(key)  // refuse anything that is not a usable key
        let info = try DERCoding.decode(
            key.pkcs8DER, "PKCS#8 private key", d2i: { d2i_PKCS8_PRIV_KEY_INFO(nil, $0, $1) },
            free: PKCS8_PRIV_KEY_INFO_free)
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        var salt = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&salt, Int32(salt.count)) == 1 else {
            throw OpenSSLErrors.error(.engine, "no random bytes for the salt")
        }
        guard
            let algorithm = PKCS5_pbe2_set_iv(
                EVP_aes_256_cbc(), Self.pbkdf2Iterations, &salt, Int32(salt.count), nil, NID_hmacWithSHA256)
        else { throw OpenSSLErrors.error(.engine, "cannot set up PBES2") }
        let passphraseLength = Int32(passphrase.utf8.count)
        guard let encrypted = PKCS8_set0_pbe(passphrase, passphraseLength, info, algorithm) else {
            X509_ALGOR_free(algorithm)
            throw OpenSSLErrors.error(.engine, "cannot encrypt the private key")
        }
        defer { X509_SIG_free(encrypted) }
        return try DERCoding.encode("encrypted private key") { i2d_X509_SIG(encrypted, $0) }
    }

    /// The key's public half as SubjectPublicKeyInfo DER (`i2d_PUBKEY`).
    public func publicKeyInfo(of key: PrivateKey) throws -> [UInt8] {
        OpenSSLErrors.clear()
        let loaded = try Self.loadKey(key)
        return try DERCoding.encode("public key") { i2d_PUBKEY(loaded.pointer, $0) }
    }

    /// Compares the key with the certificate's public key (`EVP_PKEY_eq`).
    public func privateKey(_ key: PrivateKey, matchesCertificate der: [UInt8]) throws -> Bool {
        OpenSSLErrors.clear()
        let loaded = try Self.loadKey(key)
        let certificate = try OpenSSLCertificate(der: der)
        guard let publicKey = X509_get0_pubkey(certificate.pointer) else {
            OpenSSLErrors.clear()
            return false
        }
        let result = EVP_PKEY_eq(loaded.pointer, publicKey)
        OpenSSLErrors.clear()
        return result == 1
    }

    // MARK: - Helpers shared by the engine

    /// Loads a ``PrivateKey``'s PKCS#8 DER.
    static func loadKey(_ key: PrivateKey) throws -> OpenSSLKey { try loadPKCS8(key.pkcs8DER) }

    /// Wraps a generated or decoded key as a ``PrivateKey``.
    static func privateKey(from key: OpenSSLKey) throws -> PrivateKey {
        PrivateKey(pkcs8DER: try pkcs8DER(of: key), publicKeyDescription: try checkedDescription(of: key))
    }

    /// The key as unencrypted PKCS#8 `PrivateKeyInfo` DER.
    static func pkcs8DER(of key: OpenSSLKey) throws -> [UInt8] {
        guard let info = EVP_PKEY2PKCS8(key.pointer) else {
            throw OpenSSLErrors.error(.engine, "cannot encode the private key as PKCS#8")
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        return try DERCoding.encode("PKCS#8 private key") { i2d_PKCS8_PRIV_KEY_INFO(info, $0) }
    }

    /// Decodes unencrypted PKCS#8 DER.
    static func loadPKCS8(_ der: [UInt8]) throws -> OpenSSLKey {
        let info = try DERCoding.decode(
            der, "PKCS#8 private key", d2i: { d2i_PKCS8_PRIV_KEY_INFO(nil, $0, $1) }, free: PKCS8_PRIV_KEY_INFO_free)
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        return try key(fromPKCS8Info: info)
    }

    /// Turns a decoded `PKCS8_PRIV_KEY_INFO` into a key, telling unsupported algorithms from bad data.
    static func key(fromPKCS8Info info: OpaquePointer) throws -> OpenSSLKey {
        if let key = EVP_PKCS82PKEY(info) { return OpenSSLKey(key) }
        var algorithm: OpaquePointer?
        _ = PKCS8_pkey_get0(&algorithm, nil, nil, nil, info)
        let oid = DERCoding.dottedOID(algorithm)
        if supportedKeyAlgorithmOIDs.contains(oid) {
            throw OpenSSLErrors.error(.invalidInput, "invalid private key")
        }
        throw OpenSSLErrors.error(.unsupported, "unsupported private key algorithm \(oid)")
    }

    /// Decrypts PKCS#8 `EncryptedPrivateKeyInfo` DER with an explicit passphrase (never a prompt).
    static func decryptPKCS8(_ der: [UInt8], passphrase: String?) throws -> OpenSSLKey {
        let encrypted = try DERCoding.decode(
            der, "encrypted PKCS#8 private key", d2i: { d2i_X509_SIG(nil, $0, $1) }, free: X509_SIG_free)
        defer { X509_SIG_free(encrypted) }
        guard let passphrase else {
            throw PKIError(.badPassphrase, "the private key is encrypted and no passphrase was given")
        }
        guard let info = PKCS8_decrypt(encrypted, passphrase, Int32(passphrase.utf8.count)) else {
            let entries = OpenSSLErrors.drainEntries()
            let unsupportedReasons: Set<Int32> = [
                EVP_R_UNKNOWN_PBE_ALGORITHM, EVP_R_UNSUPPORTED_CIPHER, EVP_R_UNSUPPORTED_KEY_DERIVATION_FUNCTION,
                EVP_R_UNSUPPORTED_PRF, EVP_R_UNKNOWN_CIPHER, EVP_R_UNSUPPORTED_KEYLENGTH,
            ]
            // A wrong password can decrypt to garbage with valid padding (about 1 in 256), whose ASN.1
            // then fails to parse: only EVP's own reasons mean the encryption itself is unsupported.
            if entries.contains(where: { $0.library == ERR_LIB_EVP && unsupportedReasons.contains($0.reason) }) {
                throw OpenSSLErrors.error(.unsupported, "unsupported private key encryption", entries: entries)
            }
            throw PKIError(.badPassphrase, "wrong passphrase for the encrypted private key")
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        return try key(fromPKCS8Info: info)
    }

    /// Decodes a type-specific private key (PKCS#1 `RSAPrivateKey`, SEC 1 `ECPrivateKey`) that must use every byte.
    /// OpenSSL's decoder also takes PKCS#8 here, so the structure is checked first: its second element must have
    /// `secondTag` (PKCS#8 has an AlgorithmIdentifier SEQUENCE there).
    static func decodeTypeSpecific(_ der: [UInt8], keyType: String, secondTag: UInt8, what: String) throws -> OpenSSLKey
    {
        var outer = DERReader(der[...])
        guard let sequence = try? outer.read(tag: 0x30), outer.isAtEnd else {
            throw PKIError(.invalidInput, "invalid \(what) DER")
        }
        var inner = DERReader(sequence.content)
        guard (try? inner.read(tag: 0x02)) != nil, (try? inner.read(tag: secondTag)) != nil else {
            throw PKIError(.invalidInput, "invalid \(what) DER")
        }
        var decoded: OpaquePointer?
        guard
            let decoder = OSSL_DECODER_CTX_new_for_pkey(
                &decoded, "DER", "type-specific", keyType, dbpki_EVP_PKEY_KEYPAIR(), nil, nil)
        else { throw OpenSSLErrors.error(.engine, "no decoder for \(what)") }
        defer { OSSL_DECODER_CTX_free(decoder) }
        var remaining = der.count
        let ok = der.withUnsafeBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return OSSL_DECODER_from_data(decoder, &cursor, &remaining)
        }
        guard ok == 1, let decoded else { throw OpenSSLErrors.error(.invalidInput, "invalid \(what) DER") }
        let key = OpenSSLKey(decoded)
        guard remaining == 0 else { throw PKIError(.invalidInput, "\(remaining) trailing bytes after the \(what) DER") }
        return key
    }

    /// The description of a key dbpki can use; `.unsupported` for any other.
    static func checkedDescription(of key: OpenSSLKey) throws -> PublicKeyDescription {
        guard let description = describe(key.pointer) else { throw PKIError(.unsupported, "unsupported key type") }
        switch description.algorithm {
        case .rsa, .ed25519, .ed448:
            return description
        case .ec where ["P-256", "P-384", "P-521"].contains(description.curve):
            return description
        default:
            throw PKIError(.unsupported, "unsupported key type \(description)")
        }
    }

    /// What kind of key this is; nil for algorithms without a ``PublicKeyDescription`` name.
    /// EC keys on curves other than the NIST P-curves get the curve's OID as `curve`.
    static func describe(_ key: OpaquePointer) -> PublicKeyDescription? {
        let bits = Int(EVP_PKEY_get_bits(key))
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA:
            return PublicKeyDescription(algorithm: .rsa, bits: bits, curve: nil)
        case EVP_PKEY_RSA_PSS:
            return PublicKeyDescription(algorithm: .init(name: "1.2.840.113549.1.1.10"), bits: bits, curve: nil)
        case EVP_PKEY_DSA:
            return PublicKeyDescription(algorithm: .dsa, bits: bits, curve: nil)
        case EVP_PKEY_ED25519:
            return PublicKeyDescription(algorithm: .ed25519, bits: 256, curve: nil)
        case EVP_PKEY_ED448:
            return PublicKeyDescription(algorithm: .ed448, bits: 448, curve: nil)
        case EVP_PKEY_EC:
            return PublicKeyDescription(algorithm: .ec, bits: bits, curve: curveName(key))
        default:
            return nil
        }
    }

    /// `P-192`, `P-224`, `P-256`, `P-384`, `P-521`, another named curve's OID, or nil for explicit parameters.
    static func curveName(_ key: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        guard EVP_PKEY_get_group_name(key, &buffer, buffer.count, &length) == 1 else {
            OpenSSLErrors.clear()
            return nil
        }
        let name = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let nid = OBJ_txt2nid(name)
        switch nid {
        // The weak NIST curves are named too, as GnuTLS names them, so both engines describe a key alike.
        case NID_X9_62_prime192v1: return "P-192"
        case NID_secp224r1: return "P-224"
        case NID_X9_62_prime256v1: return "P-256"
        case NID_secp384r1: return "P-384"
        case NID_secp521r1: return "P-521"
        case NID_undef: return name
        default: return DERCoding.dottedOID(OBJ_nid2obj(nid))
        }
    }
}
