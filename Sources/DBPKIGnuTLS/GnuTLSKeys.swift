import CGnuTLS
import DBPKI

extension GnuTLSBackend {
    /// Generates a key with `gnutls_x509_privkey_generate2` (RSA keys use e = 65537).
    public func generatePrivateKey(_ type: KeyType) throws -> PrivateKey {
        try Self.ready()
        let key = try GnuTLSPrivateKeyHandle()
        let algorithm: gnutls_pk_algorithm_t
        let bits: UInt32
        switch type {
        case .ecdsaP256: (algorithm, bits) = (GNUTLS_PK_ECDSA, dbpki_gnutls_curve_to_bits(GNUTLS_ECC_CURVE_SECP256R1))
        case .ecdsaP384: (algorithm, bits) = (GNUTLS_PK_ECDSA, dbpki_gnutls_curve_to_bits(GNUTLS_ECC_CURVE_SECP384R1))
        case .rsa2048: (algorithm, bits) = (GNUTLS_PK_RSA, 2048)
        case .rsa3072: (algorithm, bits) = (GNUTLS_PK_RSA, 3072)
        case .rsa4096: (algorithm, bits) = (GNUTLS_PK_RSA, 4096)
        case .ed25519:
            (algorithm, bits) = (GNUTLS_PK_EDDSA_ED25519, dbpki_gnutls_curve_to_bits(GNUTLS_ECC_CURVE_ED25519))
        }
        try GnuTLSError.check(
            gnutls_x509_privkey_generate2(key.handle, algorithm, bits, 0, nil, 0),
            "cannot generate a \(type.rawValue) key")
        return try privateKey(from: key)
    }

    /// Decodes a key in any of the formats dbpki reads and returns it as unencrypted PKCS#8.
    public func importPrivateKey(der: [UInt8], format: PrivateKeyFormat, passphrase: String?) throws -> PrivateKey {
        try Self.ready()
        let key = try GnuTLSPrivateKeyHandle()
        switch format {
        case .pkcs8:
            try Self.expectShape(der, secondTag: 0x30, what: "PKCS#8 PrivateKeyInfo", afterInteger: true)
            let code = GnuTLSDatum.with(der) {
                gnutls_x509_privkey_import_pkcs8(key.handle, $0, GNUTLS_X509_FMT_DER, nil, GNUTLS_PKCS_PLAIN.rawValue)
            }
            try Self.checkImport(code, "PKCS#8 private key")
        case .encryptedPKCS8:
            try Self.expectShape(der, secondTag: 0x04, what: "PKCS#8 EncryptedPrivateKeyInfo", afterInteger: false)
            guard let passphrase else {
                throw PKIError(.badPassphrase, "the private key is encrypted and no passphrase was given")
            }
            let code = GnuTLSDatum.with(der) { datum in
                passphrase.withCString {
                    gnutls_x509_privkey_import_pkcs8(key.handle, datum, GNUTLS_X509_FMT_DER, $0, 0)
                }
            }
            if code == GNUTLS_E_UNKNOWN_CIPHER_TYPE || code == GNUTLS_E_UNKNOWN_HASH_ALGORITHM
                || code == GNUTLS_E_UNIMPLEMENTED_FEATURE || code == GNUTLS_E_UNKNOWN_ALGORITHM
            {
                throw GnuTLSError.error(code, "cannot decrypt the private key", .unsupported)
            }
            // The structure was checked above, so a failure here means the passphrase did not decrypt it.
            if code < 0 {
                throw GnuTLSError.error(code, "cannot decrypt the private key (wrong passphrase?)", .badPassphrase)
            }
        case .pkcs1, .sec1:
            let isRSA = format == .pkcs1
            try Self.expectShape(
                der, secondTag: isRSA ? 0x02 : 0x04, what: isRSA ? "PKCS#1 RSAPrivateKey" : "SEC 1 ECPrivateKey",
                afterInteger: true)
            let code = GnuTLSDatum.with(der) { gnutls_x509_privkey_import(key.handle, $0, GNUTLS_X509_FMT_DER) }
            try Self.checkImport(code, isRSA ? "PKCS#1 RSA private key" : "SEC 1 EC private key")
            let algorithm = gnutls_x509_privkey_get_pk_algorithm(key.handle)
            let expected = isRSA ? GNUTLS_PK_RSA : GNUTLS_PK_ECDSA
            guard algorithm == Int32(expected.rawValue) else {
                throw PKIError(.invalidInput, "the key is not a \(isRSA ? "PKCS#1 RSA" : "SEC 1 EC") private key")
            }
        }
        return try privateKey(from: key)
    }

    /// Encrypts a key as PKCS#8 PBES2 (PBKDF2, AES-256-CBC) with `gnutls_x509_privkey_export2_pkcs8`.
    public func exportEncryptedPrivateKey(_ key: PrivateKey, passphrase: String) throws -> [UInt8] {
        try Self.ready()
        return try GnuTLSPrivateKeyHandle(pkcs8: key.pkcs8DER).exportPKCS8(passphrase: passphrase)
    }

    /// The key's SubjectPublicKeyInfo DER.
    public func publicKeyInfo(of key: PrivateKey) throws -> [UInt8] {
        try Self.ready()
        return try GnuTLSPrivateKeyHandle(pkcs8: key.pkcs8DER).publicKey().export()
    }

    /// A ``PrivateKey`` for a key GnuTLS holds: normalized PKCS#8 and its description.
    private func privateKey(from key: GnuTLSPrivateKeyHandle) throws -> PrivateKey {
        let description = try key.publicKey().describe()
        switch description.algorithm {
        case .rsa, .ed25519, .ed448: break
        case .ec where description.curve == "P-256" || description.curve == "P-384" || description.curve == "P-521":
            break
        default: throw PKIError(.unsupported, "\(description) private keys are not supported")
        }
        return PrivateKey(pkcs8DER: try key.exportPKCS8(), publicKeyDescription: description)
    }

    /// Checks that `der` is one SEQUENCE whose second element (or, with `afterInteger` false,
    /// the first element after an AlgorithmIdentifier) has the given tag, so a key in one
    /// format is not silently read as another.
    private static func expectShape(_ der: [UInt8], secondTag: UInt8, what: String, afterInteger: Bool) throws {
        let invalid = PKIError(.invalidInput, "not a DER \(what)")
        guard DERReader.isSingleSequence(der) else { throw invalid }
        do {
            var outer = DERReader(der[...])
            var inner = DERReader(try outer.read(tag: 0x30).content)
            _ = try inner.read(tag: afterInteger ? 0x02 : 0x30)
            _ = try inner.read(tag: secondTag)
        } catch {
            throw invalid
        }
    }

    /// Maps an import failure: unknown algorithms are unsupported, anything else is bad input.
    private static func checkImport(_ code: Int32, _ what: String) throws {
        guard code < 0 else { return }
        let unsupported = [
            GNUTLS_E_UNKNOWN_PK_ALGORITHM, GNUTLS_E_ECC_UNSUPPORTED_CURVE, GNUTLS_E_UNIMPLEMENTED_FEATURE,
            GNUTLS_E_UNKNOWN_ALGORITHM,
        ]
        throw GnuTLSError.error(
            code, "cannot decode the \(what)", unsupported.contains(code) ? .unsupported : .invalidInput)
    }
}
