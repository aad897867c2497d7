import COpenSSL
import DBPKI
import Foundation

extension OpenSSLBackend {
    /// Encodes and signs an X.509 v3 certificate from the request's values.
    ///
    /// Every extension is built from values (never parsed from configuration text), in this
    /// order: basicConstraints (critical), keyUsage (critical, when non-empty), extendedKeyUsage
    /// (when non-empty), subjectAltName (when non-empty; critical iff the subject is empty),
    /// subjectKeyIdentifier and authorityKeyIdentifier (keyIdentifier only), when given.
    public func createCertificate(
        _ request: CertificateRequest, issuer: [UInt8]?, signingKey: PrivateKey
    ) throws -> [UInt8] {
        OpenSSLErrors.clear()
        let key = try Self.loadKey(signingKey)
        let issuerCertificate = try issuer.map { try OpenSSLCertificate(der: $0) }
        guard let pointer = X509_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        let certificate = OpenSSLCertificate(pointer)
        let writer = OpenSSLCertificateWriter(certificate: certificate.pointer)
        try writer.write(request, issuer: issuerCertificate)
        try writer.sign(with: key, digest: request.digest)
        return try DERCoding.encode("certificate") { i2d_X509(certificate.pointer, $0) }
    }
}

/// Fills in one `X509` from a ``CertificateRequest`` and signs it.
struct OpenSSLCertificateWriter {
    /// The certificate being written (owned by the caller).
    let certificate: OpaquePointer

    /// Sets every field and extension.
    func write(_ request: CertificateRequest, issuer: OpenSSLCertificate?) throws {
        guard X509_set_version(certificate, Int(X509_VERSION_3)) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set the version")
        }
        try SerialNumber.check(request.serialNumber)
        let serial = try DERCoding.integer(contentOctets: request.serialNumber, "serial number")
        defer { ASN1_INTEGER_free(serial) }
        guard X509_set_serialNumber(certificate, serial) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set the serial number")
        }
        try setValidity(notBefore: request.notBefore, notAfter: request.notAfter)

        let subject = try Self.name(request.subject)
        defer { X509_NAME_free(subject) }
        guard X509_set_subject_name(certificate, subject) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set the subject")
        }
        // The issuer's subject is copied as it was encoded: OpenSSL keeps a name's DER until it is modified.
        let issuerName = issuer.map { X509_get_subject_name($0.pointer) } ?? subject
        guard X509_set_issuer_name(certificate, issuerName) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set the issuer")
        }

        let publicKey = try DERCoding.decode(
            request.subjectPublicKeyInfo, "SubjectPublicKeyInfo", d2i: { d2i_PUBKEY(nil, $0, $1) },
            free: EVP_PKEY_free)
        defer { EVP_PKEY_free(publicKey) }
        guard X509_set_pubkey(certificate, publicKey) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set the public key")
        }

        try addBasicConstraints(isCA: request.isCA, pathLength: request.isCA ? request.pathLengthConstraint : nil)
        if !request.keyUsage.isEmpty { try addKeyUsage(request.keyUsage) }
        if !request.extendedKeyUsage.isEmpty { try addExtendedKeyUsage(request.extendedKeyUsage) }
        if !request.subjectAlternativeNames.isEmpty {
            try addSubjectAltName(request.subjectAlternativeNames, critical: request.subject.attributes.isEmpty)
        }
        if let keyID = request.subjectKeyIdentifier {
            let value = try DERCoding.string(type: V_ASN1_OCTET_STRING, bytes: keyID)
            defer { ASN1_STRING_free(value) }
            try add(NID_subject_key_identifier, value, critical: false, "subjectKeyIdentifier")
        }
        if let keyID = request.authorityKeyIdentifier {
            let value = try Self.authorityKeyID(keyID)
            defer { AUTHORITY_KEYID_free(value) }
            try add(NID_authority_key_identifier, value, critical: false, "authorityKeyIdentifier")
        }
    }

    /// Signs with the key: PKCS#1 v1.5 for RSA, ECDSA, or pure EdDSA (no digest).
    func sign(with key: OpenSSLKey, digest: DigestAlgorithm) throws {
        let messageDigest = OpenSSLBackend.signingDigest(for: key, digest)
        guard X509_sign(certificate, key.pointer, messageDigest) > 0 else {
            throw OpenSSLErrors.error(.engine, "signing the certificate failed")
        }
    }

    private func setValidity(notBefore: Date, notAfter: Date) throws {
        let start = try ASN1Time.make(notBefore)
        defer { ASN1_TIME_free(start) }
        let end = try ASN1Time.make(notAfter)
        defer { ASN1_TIME_free(end) }
        guard X509_set1_notBefore(certificate, start) == 1, X509_set1_notAfter(certificate, end) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set the validity")
        }
    }

    private func addBasicConstraints(isCA: Bool, pathLength: Int?) throws {
        guard let constraints = BASIC_CONSTRAINTS_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        defer { BASIC_CONSTRAINTS_free(constraints) }
        // DER encodes TRUE as 0xff; OpenSSL writes the stored value's low byte. FALSE is omitted (DEFAULT).
        constraints.pointee.ca = isCA ? 0xff : 0
        if let pathLength {
            guard pathLength >= 0, let integer = ASN1_INTEGER_new() else {
                throw PKIError(.invalidArgument, "invalid path length constraint \(pathLength)")
            }
            constraints.pointee.pathlen = integer
            guard ASN1_INTEGER_set_int64(integer, Int64(pathLength)) == 1 else {
                throw OpenSSLErrors.error(.engine, "cannot encode the path length constraint")
            }
        }
        try add(NID_basic_constraints, constraints, critical: true, "basicConstraints")
    }

    private func addKeyUsage(_ usage: KeyUsage) throws {
        guard let bits = ASN1_BIT_STRING_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        defer { ASN1_BIT_STRING_free(bits) }
        for bit in 0..<9 where usage.contains(KeyUsage(rawValue: 1 << bit)) {
            guard ASN1_BIT_STRING_set_bit(bits, Int32(bit), 1) == 1 else {
                throw OpenSSLErrors.error(.engine, "cannot encode keyUsage")
            }
        }
        try add(NID_key_usage, bits, critical: true, "keyUsage")
    }

    private func addExtendedKeyUsage(_ oids: [String]) throws {
        guard let stack = dbpki_sk_ASN1_OBJECT_new_null() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        defer { dbpki_sk_ASN1_OBJECT_pop_free(stack) }
        for oid in oids {
            let object = try DERCoding.object(dottedOID: oid)
            guard dbpki_sk_ASN1_OBJECT_push(stack, object) > 0 else {
                ASN1_OBJECT_free(object)
                throw OpenSSLErrors.error(.engine, "out of memory")
            }
        }
        try add(NID_ext_key_usage, UnsafeMutableRawPointer(stack), critical: false, "extendedKeyUsage")
    }

    private func addSubjectAltName(_ names: [SubjectAlternativeName], critical: Bool) throws {
        let stack = try Self.generalNames(names)
        defer { GENERAL_NAMES_free(stack) }
        try add(NID_subject_alt_name, UnsafeMutableRawPointer(stack), critical: critical, "subjectAltName")
    }

    /// A new `GENERAL_NAMES` holding `names` in order; free it with `GENERAL_NAMES_free`.
    static func generalNames(_ names: [SubjectAlternativeName]) throws -> OpaquePointer {
        guard let stack = dbpki_sk_GENERAL_NAME_new_null() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        do {
            for name in names {
                let (type, value) = try generalNameValue(name)
                guard let generalName = GENERAL_NAME_new() else {
                    ASN1_STRING_free(value)
                    throw OpenSSLErrors.error(.engine, "out of memory")
                }
                GENERAL_NAME_set0_value(generalName, type, value)
                guard dbpki_sk_GENERAL_NAME_push(stack, generalName) > 0 else {
                    GENERAL_NAME_free(generalName)
                    throw OpenSSLErrors.error(.engine, "out of memory")
                }
            }
        } catch {
            GENERAL_NAMES_free(stack)
            throw error
        }
        return stack
    }

    /// The GeneralName type and a new string value for a SAN entry.
    private static func generalNameValue(_ name: SubjectAlternativeName) throws -> (
        Int32, UnsafeMutablePointer<ASN1_STRING>
    ) {
        switch name {
        case .dns(let text): (GEN_DNS, try ia5String(text, "dNSName"))
        case .email(let text): (GEN_EMAIL, try ia5String(text, "rfc822Name"))
        case .uri(let text): (GEN_URI, try ia5String(text, "uniformResourceIdentifier"))
        case .ip(let address): (GEN_IPADD, try DERCoding.string(type: V_ASN1_OCTET_STRING, bytes: address.bytes))
        case .other(let tag): throw PKIError(.invalidArgument, "cannot write a subjectAltName entry with tag \(tag)")
        }
    }

    private static func ia5String(_ text: String, _ what: String) throws -> UnsafeMutablePointer<ASN1_STRING> {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            throw PKIError(.invalidArgument, "\(what) '\(text)' is not ASCII (IA5String)")
        }
        return try DERCoding.string(type: V_ASN1_IA5STRING, bytes: bytes)
    }

    /// A new `AUTHORITY_KEYID` with only a keyIdentifier.
    private static func authorityKeyID(_ keyID: [UInt8]) throws -> UnsafeMutablePointer<AUTHORITY_KEYID> {
        guard let value = AUTHORITY_KEYID_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        do {
            value.pointee.keyid = try DERCoding.string(type: V_ASN1_OCTET_STRING, bytes: keyID)
        } catch {
            AUTHORITY_KEYID_free(value)
            throw error
        }
        return value
    }

    /// Appends an extension encoded from its value (`X509_add1_ext_i2d`).
    private func add<Value>(_ nid: Int32, _ value: UnsafeMutablePointer<Value>, critical: Bool, _ what: String) throws {
        try add(nid, UnsafeMutableRawPointer(value), critical: critical, what)
    }

    private func add(_ nid: Int32, _ value: UnsafeMutableRawPointer, critical: Bool, _ what: String) throws {
        guard X509_add1_ext_i2d(certificate, nid, value, critical ? 1 : 0, UInt(X509V3_ADD_DEFAULT)) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot add the \(what) extension")
        }
    }

    /// A new `X509_NAME` from attributes in order: UTF8String values, PrintableString for countryName,
    /// IA5String for domainComponent and emailAddress.
    static func name(_ name: DistinguishedName) throws -> OpaquePointer {
        guard let result = X509_NAME_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        do {
            for attribute in name.attributes {
                let object = try DERCoding.object(dottedOID: attribute.oid)
                defer { ASN1_OBJECT_free(object) }
                let bytes = Array(attribute.value.utf8)
                let type: Int32
                if attribute.oid == "2.5.4.6" {
                    guard bytes.allSatisfy(isPrintableStringCharacter) else {
                        throw PKIError(.invalidArgument, "countryName '\(attribute.value)' is not a PrintableString")
                    }
                    type = V_ASN1_PRINTABLESTRING
                } else if attribute.oid == "0.9.2342.19200300.100.1.25" || attribute.oid == "1.2.840.113549.1.9.1" {
                    // domainComponent and emailAddress are IA5String (RFC 4519 2.4, RFC 5280 A.1), as GnuTLS writes them.
                    guard bytes.allSatisfy({ $0 < 0x80 }) else {
                        throw PKIError(.invalidArgument, "'\(attribute.value)' is not an IA5String (\(attribute.oid))")
                    }
                    type = V_ASN1_IA5STRING
                } else {
                    type = V_ASN1_UTF8STRING
                }
                let added = bytes.withUnsafeBufferPointer { buffer in
                    X509_NAME_add_entry_by_OBJ(result, object, type, buffer.baseAddress, Int32(buffer.count), -1, 0)
                }
                guard added == 1 else { throw OpenSSLErrors.error(.engine, "cannot add \(attribute.oid) to a name") }
            }
        } catch {
            X509_NAME_free(result)
            throw error
        }
        return result
    }

    /// The PrintableString alphabet (X.680 41.4).
    private static func isPrintableStringCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array(" '()+,-./:=?".utf8).contains(byte)
        }
    }
}
