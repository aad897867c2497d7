import CGnuTLS
import DBPKI
import Foundation

extension GnuTLSBackend {
    /// Parses one DER certificate into the values dbpki compares across engines.
    public func parseCertificate(der: [UInt8]) throws -> CertificateInfo {
        try Self.ready()
        return try GnuTLSCertificateReader.info(of: GnuTLSCertificateHandle(der: der), der: der)
    }

    /// Compares the key's SubjectPublicKeyInfo with the certificate's, both as GnuTLS encodes them.
    public func privateKey(_ key: PrivateKey, matchesCertificate der: [UInt8]) throws -> Bool {
        try Self.ready()
        let certificateKey = try GnuTLSCertificateHandle(der: der).publicKey().export()
        return try GnuTLSPrivateKeyHandle(pkcs8: key.pkcs8DER).publicKey().export() == certificateKey
    }
}

/// Reads a decoded certificate field by field.
enum GnuTLSCertificateReader {
    static func info(of crt: GnuTLSCertificateHandle, der: [UInt8]) throws -> CertificateInfo {
        let handle = crt.handle
        let version = try GnuTLSError.check(
            gnutls_x509_crt_get_version(handle), "cannot read the version", .invalidInput)

        var subjectDN: gnutls_x509_dn_t?
        try GnuTLSError.check(gnutls_x509_crt_get_subject(handle, &subjectDN), "cannot read the subject", .invalidInput)
        var issuerDN: gnutls_x509_dn_t?
        try GnuTLSError.check(gnutls_x509_crt_get_issuer(handle, &issuerDN), "cannot read the issuer", .invalidInput)
        guard let subjectDN, let issuerDN else { throw PKIError(.invalidInput, "the certificate has no names") }

        let serial = try GnuTLSDatum.sized("cannot read the serial number") { buffer, size in
            gnutls_x509_crt_get_serial(handle, buffer, size)
        }
        let signatureOID = try GnuTLSDatum.sized("cannot read the signature algorithm") { buffer, size in
            gnutls_x509_crt_get_signature_oid(handle, buffer.assumingMemoryBound(to: CChar.self), size)
        }
        guard let serial, let signatureOID else { throw PKIError(.invalidInput, "the certificate lacks a field") }

        let basic = try basicConstraints(handle)
        let extensions = try Self.extensions(handle)
        let ekuPresent = extensions.contains { $0.oid == CertificateExtension.extendedKeyUsage }
        return CertificateInfo(
            der: der,
            version: Int(version),
            subject: try GnuTLSNameReader.format(subjectDN),
            issuer: try GnuTLSNameReader.format(issuerDN),
            serialNumber: serial,
            notBefore: try time(gnutls_x509_crt_get_activation_time(handle), "notBefore"),
            notAfter: try time(gnutls_x509_crt_get_expiration_time(handle), "notAfter"),
            publicKey: try crt.publicKey().describe(),
            signatureAlgorithmOID: GnuTLSDatum.string(signatureOID),
            subjectAlternativeNames: try subjectAlternativeNames(handle),
            isCA: basic.isCA,
            pathLengthConstraint: basic.pathLength,
            keyUsage: try keyUsage(handle),
            extendedKeyUsage: ekuPresent ? try extendedKeyUsage(handle) ?? [] : nil,
            subjectKeyIdentifier: try crt.subjectKeyIdentifier(),
            authorityKeyIdentifier: try crt.authorityKeyIdentifier(),
            fingerprintSHA256: try GnuTLSBackend().digest(.sha256, der),
            extensions: extensions
        )
    }

    static func time(_ value: time_t, _ what: String) throws -> Date {
        guard value != -1 else { throw PKIError(.invalidInput, "cannot read \(what)") }
        return Date(timeIntervalSince1970: TimeInterval(value))
    }

    static func basicConstraints(_ handle: gnutls_x509_crt_t) throws -> (isCA: Bool, pathLength: Int?) {
        var isCA: UInt32 = 0
        var pathLength: Int32 = -1
        let code = gnutls_x509_crt_get_basic_constraints(handle, nil, &isCA, &pathLength)
        if code == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE { return (false, nil) }
        try GnuTLSError.check(code, "cannot read basicConstraints", .invalidInput)
        return (isCA != 0, isCA != 0 && pathLength >= 0 ? Int(pathLength) : nil)
    }

    static func keyUsage(_ handle: gnutls_x509_crt_t) throws -> KeyUsage? {
        var bits: UInt32 = 0
        let code = gnutls_x509_crt_get_key_usage(handle, &bits, nil)
        if code == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE { return nil }
        try GnuTLSError.check(code, "cannot read keyUsage", .invalidInput)
        return GnuTLSKeyUsage.keyUsage(bits)
    }

    /// Every extension's OID and critical flag, in encoded order.
    static func extensions(_ handle: gnutls_x509_crt_t) throws -> [CertificateExtension] {
        var found = [CertificateExtension]()
        var index: UInt32 = 0
        while true {
            var critical: UInt32 = 0
            let oid = try GnuTLSDatum.sized("cannot read the extensions") { buffer, size in
                gnutls_x509_crt_get_extension_info(handle, index, buffer, size, &critical)
            }
            guard let oid else { return found }
            found.append(CertificateExtension(oid: GnuTLSDatum.string(oid), critical: critical != 0))
            index += 1
        }
    }

    static func extendedKeyUsage(_ handle: gnutls_x509_crt_t) throws -> [String]? {
        var oids = [String]()
        var index: UInt32 = 0
        while true {
            let oid = try GnuTLSDatum.sized("cannot read extendedKeyUsage") { buffer, size in
                gnutls_x509_crt_get_key_purpose_oid(handle, index, buffer, size, nil)
            }
            guard let oid else { break }
            oids.append(GnuTLSDatum.string(oid))
            index += 1
        }
        return oids.isEmpty ? nil : oids
    }

    static func subjectAlternativeNames(_ handle: gnutls_x509_crt_t) throws -> [SubjectAlternativeName] {
        var names = [SubjectAlternativeName]()
        var index: UInt32 = 0
        while true {
            var type: UInt32 = 0
            let value = try GnuTLSDatum.sized("cannot read subjectAltName") { buffer, size in
                gnutls_x509_crt_get_subject_alt_name2(handle, index, buffer, size, &type, nil)
            }
            guard let value else { break }
            names.append(name(type: gnutls_x509_subject_alt_name_t(rawValue: type), value: value))
            index += 1
        }
        return names
    }

    static func name(type: gnutls_x509_subject_alt_name_t, value: [UInt8]) -> SubjectAlternativeName {
        switch type {
        case GNUTLS_SAN_DNSNAME: return .dns(String(decoding: value, as: UTF8.self))
        case GNUTLS_SAN_RFC822NAME: return .email(String(decoding: value, as: UTF8.self))
        case GNUTLS_SAN_URI: return .uri(String(decoding: value, as: UTF8.self))
        case GNUTLS_SAN_IPADDRESS: return IPAddress(bytes: value).map { .ip($0) } ?? .other(tag: 7)
        case GNUTLS_SAN_OTHERNAME: return .other(tag: 0)
        case GNUTLS_SAN_DN: return .other(tag: 4)
        case GNUTLS_SAN_REGISTERED_ID: return .other(tag: 8)
        default: return .other(tag: type.rawValue >= 1000 ? 0 : -1)
        }
    }
}
