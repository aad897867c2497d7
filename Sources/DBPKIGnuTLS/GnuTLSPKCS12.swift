import CGnuTLS
import DBPKI

/// PKCS#12 with GnuTLS's `gnutls_pkcs12_*` API. GnuTLS writes only the friendlyName and
/// localKeyId bag attributes, so a truststore (certificate bags with Java's trust attribute)
/// is encoded by the core (``PKCS12Encoding``) and only encrypted (`gnutls_pbkdf2`, AES-256-CBC
/// through `gnutls_cipher_*`) and MAC-protected (`gnutls_pkcs12_generate_mac2`) here.
extension GnuTLSBackend {
    /// Encodes a keystore with GnuTLS bags, or a truststore from the core's bags; then the MAC.
    public func createPKCS12(_ contents: PKCS12Contents, password: String) throws -> [UInt8] {
        try Self.ready()
        let pkcs12 = try GnuTLSPKCS12Handle()
        if contents.certificates.contains(where: \.trustedForJava) {
            guard contents.key == nil else {
                throw PKIError(.unsupported, "a PKCS#12 file with a key cannot also mark certificates trusted")
            }
            let safe = try PKCS12Encoding.safeContents(contents.certificates)
            let contentInfo =
                contents.encryptsCertificates
                ? try PKCS12Encoding.encryptedDataContentInfo(try Self.encryptPBES2(safe, password: password))
                : try PKCS12Encoding.dataContentInfo(safe)
            let pfx = try PKCS12Encoding.pfxWithPlaceholderMAC([contentInfo])
            try GnuTLSError.check(
                GnuTLSDatum.with(pfx) { gnutls_pkcs12_import(pkcs12.handle, $0, GNUTLS_X509_FMT_DER, 0) },
                "cannot assemble the truststore")
        } else {
            try Self.addBags(contents, password: password, to: pkcs12)
        }
        let code =
            contents.protection == .aes256
            ? gnutls_pkcs12_generate_mac2(pkcs12.handle, GNUTLS_MAC_SHA256, password)
            : gnutls_pkcs12_generate_mac2(pkcs12.handle, GNUTLS_MAC_SHA1, password)
        try GnuTLSError.check(code, "cannot compute the PKCS#12 MAC")
        return try GnuTLSDatum.allocated("cannot encode the PKCS#12 file") {
            gnutls_pkcs12_export2(pkcs12.handle, GNUTLS_X509_FMT_DER, $0)
        }
    }

    /// Checks the MAC, then reads every bag, decrypting encrypted ones.
    public func readPKCS12(der: [UInt8], password: String?, includeKey: Bool) throws -> PKCS12Contents {
        try Self.ready()
        let pkcs12 = try GnuTLSPKCS12Handle()
        try GnuTLSError.check(
            GnuTLSDatum.with(der) { gnutls_pkcs12_import(pkcs12.handle, $0, GNUTLS_X509_FMT_DER, 0) },
            "cannot decode the PKCS#12 file", .invalidInput)
        var macAlgorithm: UInt32 = 0
        var salt = [UInt8](repeating: 0, count: 64)
        var saltSize = UInt32(salt.count)
        var iterations: UInt32 = 0
        let macInfo = gnutls_pkcs12_mac_info(pkcs12.handle, &macAlgorithm, &salt, &saltSize, &iterations, nil)
        try GnuTLSError.check(macInfo, "cannot read the PKCS#12 file's MAC", .invalidInput)
        let candidates: [String?] = (password ?? "").isEmpty ? [nil, ""] : [password]
        guard let usable = candidates.first(where: { gnutls_pkcs12_verify_mac(pkcs12.handle, $0) == 0 }) else {
            throw PKIError(
                .badPassphrase,
                password == nil ? "the PKCS#12 file needs a password" : "wrong password for the PKCS#12 file")
        }
        var contents = PKCS12Contents(
            key: nil, certificates: [], protection: macAlgorithm == GNUTLS_MAC_SHA1.rawValue ? .legacy : .aes256)
        var index: Int32 = 0
        while true {
            let bag = try GnuTLSPKCS12BagHandle()
            let code = gnutls_pkcs12_get_bag(pkcs12.handle, index, bag.handle)
            if code == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE { break }
            try GnuTLSError.check(code, "cannot read a PKCS#12 safe", .invalidInput)
            index += 1
            if gnutls_pkcs12_bag_get_type(bag.handle, 0) == GNUTLS_BAG_ENCRYPTED.rawValue {
                try GnuTLSError.check(
                    gnutls_pkcs12_bag_decrypt(bag.handle, usable), "cannot decrypt a PKCS#12 safe", .invalidInput)
            }
            for element in 0..<max(0, gnutls_pkcs12_bag_get_count(bag.handle)) {
                try read(element: UInt32(element), of: bag, into: &contents, password: usable, includeKey: includeKey)
            }
        }
        return contents
    }

    /// Adds one bag element's certificate or key to `contents`.
    private func read(
        element: UInt32, of bag: GnuTLSPKCS12BagHandle, into contents: inout PKCS12Contents, password: String?,
        includeKey: Bool
    ) throws {
        var data = gnutls_datum_t()
        try GnuTLSError.check(
            gnutls_pkcs12_bag_get_data(bag.handle, element, &data), "cannot read a PKCS#12 bag", .invalidInput)
        let bytes = GnuTLSDatum.copy(data)
        var name: UnsafeMutablePointer<CChar>?
        let friendlyName =
            gnutls_pkcs12_bag_get_friendly_name(bag.handle, element, &name) >= 0
            ? name.map { String(cString: $0) } : nil
        var id = gnutls_datum_t()
        let localKeyID =
            gnutls_pkcs12_bag_get_key_id(bag.handle, element, &id) >= 0 && id.size > 0 ? GnuTLSDatum.copy(id) : nil
        let type = gnutls_pkcs12_bag_get_type(bag.handle, element)
        switch type {
        case Int32(GNUTLS_BAG_CERTIFICATE.rawValue):
            _ = try GnuTLSCertificateHandle(der: bytes)
            contents.certificates.append(.init(der: bytes, friendlyName: friendlyName, localKeyID: localKeyID))
        case Int32(GNUTLS_BAG_PKCS8_ENCRYPTED_KEY.rawValue), Int32(GNUTLS_BAG_PKCS8_KEY.rawValue):
            guard includeKey else { return }
            guard contents.key == nil else { throw PKIError(.unsupported, "the PKCS#12 file holds more than one key") }
            let encrypted = type == Int32(GNUTLS_BAG_PKCS8_ENCRYPTED_KEY.rawValue)
            let key = try importPrivateKey(
                der: bytes, format: encrypted ? .encryptedPKCS8 : .pkcs8, passphrase: encrypted ? (password ?? "") : nil
            )
            contents.key = .init(key: key, friendlyName: friendlyName, localKeyID: localKeyID)
        default:
            return
        }
    }

    /// A keystore's bags: the certificates in one (encrypted) safe, the shrouded key in another.
    private static func addBags(_ contents: PKCS12Contents, password: String, to pkcs12: GnuTLSPKCS12Handle) throws {
        let flags =
            contents.protection == .aes256 ? GNUTLS_PKCS_PBES2_AES_256.rawValue : GNUTLS_PKCS_PKCS12_3DES.rawValue
        if !contents.certificates.isEmpty {
            let bag = try GnuTLSPKCS12BagHandle()
            for certificate in contents.certificates {
                let loaded = try GnuTLSCertificateHandle(der: certificate.der)
                let index = try GnuTLSError.check(
                    gnutls_pkcs12_bag_set_crt(bag.handle, loaded.handle), "cannot add a certificate bag")
                try bag.setAttributes(
                    UInt32(index), friendlyName: certificate.friendlyName, localKeyID: certificate.localKeyID)
            }
            if contents.encryptsCertificates {
                try GnuTLSError.check(
                    gnutls_pkcs12_bag_encrypt(bag.handle, password, flags), "cannot encrypt the certificates")
            }
            try GnuTLSError.check(gnutls_pkcs12_set_bag(pkcs12.handle, bag.handle), "cannot add the certificates")
        }
        if let key = contents.key {
            let bag = try GnuTLSPKCS12BagHandle()
            let loaded = try GnuTLSPrivateKeyHandle(pkcs8: key.key.pkcs8DER)
            let index = try GnuTLSError.check(
                gnutls_pkcs12_bag_set_privkey(bag.handle, loaded.handle, password, flags), "cannot add the key bag")
            try bag.setAttributes(UInt32(index), friendlyName: key.friendlyName, localKeyID: key.localKeyID)
            try GnuTLSError.check(gnutls_pkcs12_set_bag(pkcs12.handle, bag.handle), "cannot add the key")
        }
    }

    /// PKCS#7 `EncryptedData` of `plaintext` under PBES2: PBKDF2-HMAC-SHA256 (random 16-byte salt,
    /// ``PKCS12Protection/iterations``) and AES-256-CBC (random IV, PKCS#7 padding).
    private static func encryptPBES2(_ plaintext: [UInt8], password: String) throws -> [UInt8] {
        var salt = [UInt8](repeating: 0, count: 16)
        var iv = [UInt8](repeating: 0, count: 16)
        try GnuTLSError.check(gnutls_rnd(GNUTLS_RND_NONCE, &salt, salt.count), "no random bytes")
        try GnuTLSError.check(gnutls_rnd(GNUTLS_RND_NONCE, &iv, iv.count), "no random bytes")
        var key = [UInt8](repeating: 0, count: 32)
        defer { for index in key.indices { key[index] = 0 } }
        let derived = GnuTLSDatum.with(Array(password.utf8)) { secret in
            GnuTLSDatum.with(salt) { saltDatum in
                gnutls_pbkdf2(
                    GNUTLS_MAC_SHA256, secret, saltDatum, UInt32(PKCS12Protection.iterations), &key, key.count)
            }
        }
        try GnuTLSError.check(derived, "cannot derive the encryption key")
        var cipher: gnutls_cipher_hd_t?
        try GnuTLSError.check(
            GnuTLSDatum.with(key) { keyDatum in
                GnuTLSDatum.with(iv) { ivDatum in
                    gnutls_cipher_init(&cipher, GNUTLS_CIPHER_AES_256_CBC, keyDatum, ivDatum)
                }
            }, "cannot set up AES-256-CBC")
        defer { gnutls_cipher_deinit(cipher) }
        let padding = 16 - plaintext.count % 16
        let padded = plaintext + [UInt8](repeating: UInt8(padding), count: padding)
        var ciphertext = [UInt8](repeating: 0, count: padded.count)
        try GnuTLSError.check(
            gnutls_cipher_encrypt2(cipher, padded, padded.count, &ciphertext, ciphertext.count), "cannot encrypt")
        let algorithm = try PKCS12Encoding.pbes2AES256Algorithm(
            salt: salt, iterations: PKCS12Protection.iterations, iv: iv)
        return try PKCS12Encoding.encryptedData(algorithm: algorithm, ciphertext: ciphertext)
    }
}

/// Owns one `gnutls_pkcs12_t`.
final class GnuTLSPKCS12Handle {
    let handle: gnutls_pkcs12_t

    init() throws { handle = try GnuTLSObject.make("a PKCS#12 structure", gnutls_pkcs12_init) }

    deinit { gnutls_pkcs12_deinit(handle) }
}

/// Owns one `gnutls_pkcs12_bag_t`.
final class GnuTLSPKCS12BagHandle {
    let handle: gnutls_pkcs12_bag_t

    init() throws { handle = try GnuTLSObject.make("a PKCS#12 bag", gnutls_pkcs12_bag_init) }

    deinit { gnutls_pkcs12_bag_deinit(handle) }

    /// Sets element `index`'s friendlyName and localKeyId.
    func setAttributes(_ index: UInt32, friendlyName: String?, localKeyID: [UInt8]?) throws {
        if let friendlyName {
            try GnuTLSError.check(
                gnutls_pkcs12_bag_set_friendly_name(handle, index, friendlyName), "cannot set the friendly name")
        }
        if let localKeyID {
            try GnuTLSError.check(
                GnuTLSDatum.with(localKeyID) { gnutls_pkcs12_bag_set_key_id(handle, index, $0) },
                "cannot set the local key id")
        }
    }
}
