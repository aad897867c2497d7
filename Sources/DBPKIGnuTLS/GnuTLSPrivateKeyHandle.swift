import CGnuTLS
import DBPKI

/// Owns one `gnutls_x509_privkey_t`: the form keys are generated, imported and exported in.
final class GnuTLSPrivateKeyHandle {
    let handle: gnutls_x509_privkey_t

    init() throws { handle = try GnuTLSObject.make("a private key", gnutls_x509_privkey_init) }

    /// Decodes unencrypted PKCS#8 DER (the form ``PrivateKey`` holds).
    convenience init(pkcs8: [UInt8]) throws {
        try self.init()
        try GnuTLSObject.importDER(pkcs8, "PKCS#8 private key", singleSequence: false) {
            gnutls_x509_privkey_import_pkcs8(handle, $0, GNUTLS_X509_FMT_DER, nil, GNUTLS_PKCS_PLAIN.rawValue)
        }
    }

    deinit { gnutls_x509_privkey_deinit(handle) }

    /// PKCS#8 DER, unencrypted or (with a passphrase) PBES2 AES-256-CBC.
    func exportPKCS8(passphrase: String? = nil) throws -> [UInt8] {
        let flags = passphrase == nil ? GNUTLS_PKCS_PLAIN.rawValue : GNUTLS_PKCS_PBES2_AES_256.rawValue
        return try GnuTLSDatum.allocated("cannot encode the private key") { out in
            if let passphrase {
                return passphrase.withCString {
                    gnutls_x509_privkey_export2_pkcs8(handle, GNUTLS_X509_FMT_DER, $0, flags, out)
                }
            }
            return gnutls_x509_privkey_export2_pkcs8(handle, GNUTLS_X509_FMT_DER, nil, flags, out)
        }
    }

    /// The public half.
    func publicKey() throws -> GnuTLSPublicKeyHandle {
        let signer = try GnuTLSSigningKeyHandle(copying: self)
        let key = try GnuTLSPublicKeyHandle()
        try GnuTLSError.check(
            gnutls_pubkey_import_privkey(key.handle, signer.handle, 0, 0), "cannot derive the public key")
        return key
    }
}

/// Owns one `gnutls_privkey_t`: the abstract key GnuTLS signs with.
final class GnuTLSSigningKeyHandle {
    let handle: gnutls_privkey_t

    private init() throws {
        var key: gnutls_privkey_t?
        try GnuTLSError.check(gnutls_privkey_init(&key), "cannot create a signing key")
        guard let key else { throw PKIError(.engine, "cannot create a signing key") }
        handle = key
    }

    /// A signing key holding its own copy of `key`.
    convenience init(copying key: GnuTLSPrivateKeyHandle) throws {
        try self.init()
        try GnuTLSError.check(
            gnutls_privkey_import_x509(handle, key.handle, UInt32(GNUTLS_PRIVKEY_IMPORT_COPY.rawValue)),
            "cannot load the signing key")
    }

    deinit { gnutls_privkey_deinit(handle) }

    /// The key's algorithm.
    var algorithm: gnutls_pk_algorithm_t {
        gnutls_pk_algorithm_t(rawValue: UInt32(max(0, gnutls_privkey_get_pk_algorithm(handle, nil))))
    }

    /// The hash to sign with: the request's for RSA and ECDSA, none (the algorithm's own) for EdDSA.
    func signatureDigest(_ digest: DigestAlgorithm) -> gnutls_digest_algorithm_t {
        switch algorithm {
        case GNUTLS_PK_EDDSA_ED25519, GNUTLS_PK_EDDSA_ED448: return GNUTLS_DIG_UNKNOWN
        default: return GnuTLSBackend.gnutlsDigest(digest)
        }
    }
}
