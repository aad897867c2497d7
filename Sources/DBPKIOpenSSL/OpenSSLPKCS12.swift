import COpenSSL
import DBPKI

/// PKCS#12 with OpenSSL's bag API (`PKCS12_add_cert`, `PKCS12_add_key_ex`, `PKCS12_add_safe_ex`,
/// `PKCS12_set_mac`) rather than `PKCS12_create`, which cannot attach Java's trust attribute.
extension OpenSSLBackend {
    /// Builds the bags, encrypts them as ``PKCS12Contents/protection`` says and adds the MAC.
    public func createPKCS12(_ contents: PKCS12Contents, password: String) throws -> [UInt8] {
        OpenSSLErrors.clear()
        let bagCipher = contents.protection == .aes256 ? NID_aes_256_cbc : NID_pbe_WithSHA1And3_Key_TripleDES_CBC
        let iterations = Int32(PKCS12Protection.iterations)
        var certificateBags: OpaquePointer?
        var keyBags: OpaquePointer?
        var safes: OpaquePointer?
        defer {
            Self.freeBags(certificateBags)
            Self.freeBags(keyBags)
            OPENSSL_sk_pop_free(safes) { PKCS7_free($0?.assumingMemoryBound(to: PKCS7.self)) }
        }
        for certificate in contents.certificates {
            let loaded = try OpenSSLCertificate(der: certificate.der)
            guard let bag = PKCS12_add_cert(&certificateBags, loaded.pointer) else {
                throw OpenSSLErrors.error(.engine, "cannot add a certificate bag")
            }
            try Self.addAttributes(
                to: bag, friendlyName: certificate.friendlyName, localKeyID: certificate.localKeyID)
            if certificate.trustedForJava {
                let anyUsage = try DERCoding.object(dottedOID: PKCS12Encoding.anyExtendedKeyUsageOID)
                defer { ASN1_OBJECT_free(anyUsage) }
                let added = PKCS12_add1_attr_by_txt(
                    bag, PKCS12Encoding.javaTrustedKeyUsageOID, V_ASN1_OBJECT,
                    UnsafePointer<UInt8>(anyUsage), -1)
                guard added == 1 else { throw OpenSSLErrors.error(.engine, "cannot add the Java trust attribute") }
            }
        }
        if let key = contents.key {
            let loaded = try Self.loadKey(key.key)
            guard
                let bag = PKCS12_add_key_ex(
                    &keyBags, loaded.pointer, 0, iterations, bagCipher, password, nil, nil)
            else { throw OpenSSLErrors.error(.engine, "cannot add the key bag") }
            try Self.addAttributes(to: bag, friendlyName: key.friendlyName, localKeyID: key.localKeyID)
        }
        if let certificateBags {
            let cipher = contents.encryptsCertificates ? bagCipher : -1
            guard PKCS12_add_safe_ex(&safes, certificateBags, cipher, iterations, password, nil, nil) == 1 else {
                throw OpenSSLErrors.error(.engine, "cannot add the certificates")
            }
        }
        if let keyBags {
            guard PKCS12_add_safe_ex(&safes, keyBags, -1, iterations, password, nil, nil) == 1 else {
                throw OpenSSLErrors.error(.engine, "cannot add the key")
            }
        }
        guard let pkcs12 = PKCS12_add_safes_ex(safes, 0, nil, nil) else {
            throw OpenSSLErrors.error(.engine, "cannot assemble the PKCS#12 file")
        }
        defer { PKCS12_free(pkcs12) }
        let digest = contents.protection == .aes256 ? EVP_sha256() : EVP_sha1()
        let passwordLength = Int32(password.utf8.count)
        guard
            PKCS12_set_mac(pkcs12, password, passwordLength, nil, 0, Int32(PKCS12Protection.macIterations), digest)
                == 1
        else { throw OpenSSLErrors.error(.engine, "cannot compute the PKCS#12 MAC") }
        return try DERCoding.encode("PKCS#12 file") { i2d_PKCS12(pkcs12, $0) }
    }

    /// Checks the MAC, then reads every bag of every safe (clear or encrypted).
    public func readPKCS12(der: [UInt8], password: String?, includeKey: Bool) throws -> PKCS12Contents {
        OpenSSLErrors.clear()
        let pkcs12 = try DERCoding.decode(der, "PKCS#12 file", d2i: { d2i_PKCS12(nil, $0, $1) }, free: PKCS12_free)
        defer { PKCS12_free(pkcs12) }
        guard PKCS12_mac_present(pkcs12) == 1 else {
            throw PKIError(.invalidInput, "the PKCS#12 file has no MAC, so its integrity cannot be checked")
        }
        let candidates: [String?] = (password ?? "").isEmpty ? [nil, ""] : [password]
        guard
            let usable = candidates.first(where: { candidate in
                PKCS12_verify_mac(pkcs12, candidate, Int32(candidate?.utf8.count ?? 0)) == 1
            })
        else {
            OpenSSLErrors.clear()
            throw PKIError(
                .badPassphrase,
                password == nil ? "the PKCS#12 file needs a password" : "wrong password for the PKCS#12 file")
        }
        let passwordLength = Int32(usable?.utf8.count ?? 0)
        var contents = PKCS12Contents(key: nil, certificates: [], protection: Self.protection(of: pkcs12))
        guard let safes = PKCS12_unpack_authsafes(pkcs12) else {
            throw OpenSSLErrors.error(.invalidInput, "cannot read the PKCS#12 file's contents")
        }
        defer { OPENSSL_sk_pop_free(safes) { PKCS7_free($0?.assumingMemoryBound(to: PKCS7.self)) } }
        for index in 0..<OPENSSL_sk_num(safes) {
            guard let safe = OPENSSL_sk_value(safes, index)?.assumingMemoryBound(to: PKCS7.self) else { continue }
            let bags: OpaquePointer?
            switch OBJ_obj2nid(safe.pointee.type) {
            case NID_pkcs7_data: bags = PKCS12_unpack_p7data(safe)
            case NID_pkcs7_encrypted: bags = PKCS12_unpack_p7encdata(safe, usable, passwordLength)
            default: throw PKIError(.unsupported, "the PKCS#12 file holds a kind of safe dbpki does not read")
            }
            guard let bags else { throw OpenSSLErrors.error(.invalidInput, "cannot read a PKCS#12 safe") }
            defer { Self.freeBags(bags) }
            for bagIndex in 0..<OPENSSL_sk_num(bags) {
                guard let raw = OPENSSL_sk_value(bags, bagIndex) else { continue }
                try Self.read(
                    bag: OpaquePointer(raw), into: &contents, password: usable, includeKey: includeKey)
            }
        }
        return contents
    }

    /// Adds one bag's certificate or key to `contents`.
    private static func read(
        bag: OpaquePointer, into contents: inout PKCS12Contents, password: String?, includeKey: Bool
    ) throws {
        let friendlyName = PKCS12_get_friendlyname(bag).map { text in
            defer { dbpki_OPENSSL_free(text) }
            return String(cString: text)
        }
        let localKeyID = PKCS12_SAFEBAG_get0_attr(bag, NID_localKeyID).flatMap { type -> [UInt8]? in
            guard type.pointee.type == V_ASN1_OCTET_STRING else { return nil }
            return DERCoding.bytes(of: type.pointee.value.octet_string)
        }
        switch PKCS12_SAFEBAG_get_nid(bag) {
        case NID_certBag:
            guard PKCS12_SAFEBAG_get_bag_nid(bag) == NID_x509Certificate else { return }
            guard let certificate = PKCS12_SAFEBAG_get1_cert(bag) else {
                throw OpenSSLErrors.error(.invalidInput, "a PKCS#12 certificate bag does not decode")
            }
            let owned = OpenSSLCertificate(certificate)
            let der = try DERCoding.encode("certificate") { i2d_X509(owned.pointer, $0) }
            let trustOID = try DERCoding.object(dottedOID: PKCS12Encoding.javaTrustedKeyUsageOID)
            defer { ASN1_OBJECT_free(trustOID) }
            let trusted = X509at_get_attr_by_OBJ(PKCS12_SAFEBAG_get0_attrs(bag), trustOID, -1) >= 0
            contents.certificates.append(
                .init(der: der, friendlyName: friendlyName, localKeyID: localKeyID, trustedForJava: trusted))
        case NID_pkcs8ShroudedKeyBag, NID_keyBag:
            guard includeKey else { return }
            guard contents.key == nil else { throw PKIError(.unsupported, "the PKCS#12 file holds more than one key") }
            let key: OpenSSLKey
            if PKCS12_SAFEBAG_get_nid(bag) == NID_keyBag {
                guard let info = PKCS12_SAFEBAG_get0_p8inf(bag) else {
                    throw OpenSSLErrors.error(.invalidInput, "a PKCS#12 key bag does not decode")
                }
                key = try Self.key(fromPKCS8Info: info)
            } else {
                guard let sealed = PKCS12_SAFEBAG_get0_pkcs8(bag),
                    let info = PKCS8_decrypt(sealed, password, Int32(password?.utf8.count ?? 0))
                else { throw OpenSSLErrors.error(.invalidInput, "the PKCS#12 key bag cannot be decrypted") }
                defer { PKCS8_PRIV_KEY_INFO_free(info) }
                key = try Self.key(fromPKCS8Info: info)
            }
            contents.key = .init(
                key: try Self.privateKey(from: key), friendlyName: friendlyName, localKeyID: localKeyID)
        default:
            return
        }
    }

    /// `.legacy` for a SHA-1 MAC, else `.aes256`: what the reader of a file needs to know.
    private static func protection(of pkcs12: OpaquePointer) -> PKCS12Protection {
        var algorithm: UnsafePointer<X509_ALGOR>?
        PKCS12_get0_mac(nil, &algorithm, nil, nil, pkcs12)
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        return OBJ_obj2nid(object) == NID_sha1 ? .legacy : .aes256
    }

    /// Sets a bag's friendlyName (UTF-8 in, BMPString out) and localKeyId.
    private static func addAttributes(to bag: OpaquePointer, friendlyName: String?, localKeyID: [UInt8]?) throws {
        if let friendlyName {
            guard PKCS12_add_friendlyname_utf8(bag, friendlyName, Int32(friendlyName.utf8.count)) == 1 else {
                throw OpenSSLErrors.error(.engine, "cannot set the friendly name")
            }
        }
        if var localKeyID {
            guard PKCS12_add_localkeyid(bag, &localKeyID, Int32(localKeyID.count)) == 1 else {
                throw OpenSSLErrors.error(.engine, "cannot set the local key id")
            }
        }
    }

    /// Frees a `STACK_OF(PKCS12_SAFEBAG)` and its bags.
    private static func freeBags(_ bags: OpaquePointer?) {
        OPENSSL_sk_pop_free(bags) { PKCS12_SAFEBAG_free($0.map(OpaquePointer.init)) }
    }
}
