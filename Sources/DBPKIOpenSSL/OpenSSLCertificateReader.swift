import COpenSSL
import DBPKI
import Foundation

extension OpenSSLBackend {
    /// Parses one DER certificate (every byte must belong to it) into a ``CertificateInfo``.
    ///
    /// Extensions are decoded from their own encodings: an extension that is present but does
    /// not decode, or that appears twice, makes the certificate `.invalidInput`.
    public func parseCertificate(der: [UInt8]) throws -> CertificateInfo {
        OpenSSLErrors.clear()
        let certificate = try OpenSSLCertificate(der: der)
        let reader = OpenSSLCertificateReader(certificate: certificate.pointer)
        defer { OpenSSLErrors.clear() }
        let constraints = try reader.basicConstraints()
        return CertificateInfo(
            der: der,
            version: X509_get_version(certificate.pointer) + 1,
            subject: try OpenSSLCertificateReader.format(X509_get_subject_name(certificate.pointer), "subject"),
            issuer: try OpenSSLCertificateReader.format(X509_get_issuer_name(certificate.pointer), "issuer"),
            serialNumber: try reader.serialNumber(),
            notBefore: try ASN1Time.date(X509_get0_notBefore(certificate.pointer), "notBefore"),
            notAfter: try ASN1Time.date(X509_get0_notAfter(certificate.pointer), "notAfter"),
            publicKey: reader.publicKey(),
            signatureAlgorithmOID: reader.signatureAlgorithmOID(),
            subjectAlternativeNames: try reader.subjectAlternativeNames(),
            isCA: constraints.isCA,
            pathLengthConstraint: constraints.pathLength,
            keyUsage: try reader.keyUsage(),
            extendedKeyUsage: try reader.extendedKeyUsage(),
            subjectKeyIdentifier: try reader.subjectKeyIdentifier(),
            authorityKeyIdentifier: try reader.authorityKeyIdentifier(),
            fingerprintSHA256: try digest(.sha256, der),
            extensions: reader.extensions()
        )
    }
}

/// Reads the fields dbpki reports from a decoded `X509`.
struct OpenSSLCertificateReader {
    /// The certificate (owned by the caller).
    let certificate: OpaquePointer

    /// ASN.1 string types whose values are reported as text.
    static let textTypes: Set<Int32> = [
        V_ASN1_UTF8STRING, V_ASN1_PRINTABLESTRING, V_ASN1_IA5STRING, V_ASN1_T61STRING, V_ASN1_BMPSTRING,
        V_ASN1_UNIVERSALSTRING, V_ASN1_VISIBLESTRING,
    ]

    /// A name as RFC 4514 text, formatted by the core from the attribute values in encoded order.
    static func format(_ name: OpaquePointer?, _ what: String) throws -> String {
        guard let name else { throw PKIError(.invalidInput, "missing \(what) name") }
        var rdns = [[RFC4514.AttributeValue]]()
        var previousSet: Int32 = -1
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index) else { continue }
            let attribute = RFC4514.AttributeValue(
                oid: DERCoding.dottedOID(X509_NAME_ENTRY_get_object(entry)),
                value: try attributeValue(X509_NAME_ENTRY_get_data(entry)))
            let set = X509_NAME_ENTRY_set(entry)
            if set == previousSet, !rdns.isEmpty {
                rdns[rdns.count - 1].append(attribute)
            } else {
                rdns.append([attribute])
            }
            previousSet = set
        }
        return RFC4514.format(rdns)
    }

    /// A string type's value as UTF-8 text; anything else (or a string that does not convert) as its DER.
    static func attributeValue(_ string: UnsafeMutablePointer<ASN1_STRING>?) throws -> RFC4514.Value {
        guard let string else { throw PKIError(.invalidInput, "missing attribute value") }
        if textTypes.contains(ASN1_STRING_type(string)) {
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, string)
            if length >= 0, let utf8 {
                defer { dbpki_OPENSSL_free(utf8) }
                return .text(String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self))
            }
            OpenSSLErrors.clear()
        }
        return .der(try DERCoding.encode("attribute value") { i2d_ASN1_PRINTABLE(string, $0) })
    }

    /// The serial's content octets as DER encodes them.
    func serialNumber() throws -> [UInt8] {
        guard let serial = X509_get0_serialNumber(certificate) else {
            throw PKIError(.invalidInput, "missing serial number")
        }
        return try DERCoding.contentOctets(ofInteger: serial, "serial number")
    }

    /// The subject public key; algorithms without a name are reported by OID.
    func publicKey() -> PublicKeyDescription {
        if let key = X509_get0_pubkey(certificate), let description = OpenSSLBackend.describe(key) {
            return description
        }
        OpenSSLErrors.clear()
        var algorithm: OpaquePointer?
        if let publicKeyInfo = X509_get_X509_PUBKEY(certificate) {
            _ = X509_PUBKEY_get0_param(&algorithm, nil, nil, nil, publicKeyInfo)
        }
        let bits = X509_get0_pubkey(certificate).map { Int(EVP_PKEY_get_bits($0)) } ?? 0
        OpenSSLErrors.clear()
        return PublicKeyDescription(algorithm: .init(name: DERCoding.dottedOID(algorithm)), bits: bits, curve: nil)
    }

    /// The outer signatureAlgorithm OID.
    /// Every extension's OID and critical flag, in encoded order.
    func extensions() -> [CertificateExtension] {
        (0..<max(0, X509_get_ext_count(certificate))).compactMap { index in
            guard let item = X509_get_ext(certificate, index) else { return nil }
            return CertificateExtension(
                oid: DERCoding.dottedOID(X509_EXTENSION_get_object(item)),
                critical: X509_EXTENSION_get_critical(item) == 1)
        }
    }

    func signatureAlgorithmOID() -> String {
        var algorithm: UnsafePointer<X509_ALGOR>?
        X509_get0_signature(nil, &algorithm, certificate)
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        return DERCoding.dottedOID(object)
    }

    /// The decoded value of an extension; nil when absent; throws when it is malformed or repeated.
    private func extensionValue(_ nid: Int32, _ what: String) throws -> UnsafeMutableRawPointer? {
        guard X509_get_ext_by_NID(certificate, nid, -1) >= 0 else { return nil }
        var critical: Int32 = 0
        guard let value = X509_get_ext_d2i(certificate, nid, &critical, nil) else {
            let problem = critical == -2 ? "more than one \(what) extension" : "malformed \(what) extension"
            throw OpenSSLErrors.error(.invalidInput, problem)
        }
        return value
    }

    /// subjectAltName entries in encoded order.
    func subjectAlternativeNames() throws -> [SubjectAlternativeName] {
        guard let value = try extensionValue(NID_subject_alt_name, "subjectAltName") else { return [] }
        let names = OpaquePointer(value)
        defer { GENERAL_NAMES_free(names) }
        return Self.names(of: names)
    }

    /// The entries of a `GENERAL_NAMES`, in encoded order.
    static func names(of names: OpaquePointer) -> [SubjectAlternativeName] {
        var result = [SubjectAlternativeName]()
        for index in 0..<dbpki_sk_GENERAL_NAME_num(names) {
            guard let name = dbpki_sk_GENERAL_NAME_value(names, index) else { continue }
            var type: Int32 = -1
            let entry = GENERAL_NAME_get0_value(name, &type)
            let string = entry?.assumingMemoryBound(to: ASN1_STRING.self)
            switch type {
            case GEN_DNS: result.append(.dns(String(decoding: DERCoding.bytes(of: string), as: UTF8.self)))
            case GEN_EMAIL: result.append(.email(String(decoding: DERCoding.bytes(of: string), as: UTF8.self)))
            case GEN_URI: result.append(.uri(String(decoding: DERCoding.bytes(of: string), as: UTF8.self)))
            case GEN_IPADD:
                if let address = IPAddress(bytes: DERCoding.bytes(of: string)) {
                    result.append(.ip(address))
                } else {
                    result.append(.other(tag: Int(GEN_IPADD)))
                }
            default: result.append(.other(tag: Int(type)))
            }
        }
        return result
    }

    /// basicConstraints cA and pathLenConstraint as encoded (cA false when the extension is absent).
    func basicConstraints() throws -> (isCA: Bool, pathLength: Int?) {
        guard let value = try extensionValue(NID_basic_constraints, "basicConstraints") else { return (false, nil) }
        let constraints = value.assumingMemoryBound(to: BASIC_CONSTRAINTS.self)
        defer { BASIC_CONSTRAINTS_free(constraints) }
        var pathLength: Int?
        if let integer = constraints.pointee.pathlen {
            var number: Int64 = 0
            if ASN1_INTEGER_get_int64(&number, integer) == 1, number >= 0, number <= Int64(Int32.max) {
                pathLength = Int(number)
            } else {
                OpenSSLErrors.clear()
            }
        }
        return (constraints.pointee.ca != 0, pathLength)
    }

    /// keyUsage bits in RFC 5280 numbering; nil when absent.
    func keyUsage() throws -> KeyUsage? {
        guard let value = try extensionValue(NID_key_usage, "keyUsage") else { return nil }
        let bits = value.assumingMemoryBound(to: ASN1_BIT_STRING.self)
        defer { ASN1_BIT_STRING_free(bits) }
        var usage = KeyUsage()
        for bit in 0..<9 where ASN1_BIT_STRING_get_bit(bits, Int32(bit)) == 1 {
            usage.insert(KeyUsage(rawValue: 1 << bit))
        }
        return usage
    }

    /// extendedKeyUsage OIDs in encoded order; nil when absent.
    func extendedKeyUsage() throws -> [String]? {
        guard let value = try extensionValue(NID_ext_key_usage, "extendedKeyUsage") else { return nil }
        let stack = OpaquePointer(value)
        defer { dbpki_sk_ASN1_OBJECT_pop_free(stack) }
        return (0..<dbpki_sk_ASN1_OBJECT_num(stack)).map { DERCoding.dottedOID(dbpki_sk_ASN1_OBJECT_value(stack, $0)) }
    }

    /// subjectKeyIdentifier.
    func subjectKeyIdentifier() throws -> [UInt8]? {
        guard let value = try extensionValue(NID_subject_key_identifier, "subjectKeyIdentifier") else { return nil }
        let string = value.assumingMemoryBound(to: ASN1_OCTET_STRING.self)
        defer { ASN1_OCTET_STRING_free(string) }
        return DERCoding.bytes(of: string)
    }

    /// authorityKeyIdentifier keyIdentifier; nil when the extension or the field is absent.
    func authorityKeyIdentifier() throws -> [UInt8]? {
        guard let value = try extensionValue(NID_authority_key_identifier, "authorityKeyIdentifier") else {
            return nil
        }
        let keyID = value.assumingMemoryBound(to: AUTHORITY_KEYID.self)
        defer { AUTHORITY_KEYID_free(keyID) }
        return keyID.pointee.keyid.map { DERCoding.bytes(of: $0) }
    }
}
