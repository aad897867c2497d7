import CGnuTLS
import DBPKI
import Foundation

extension GnuTLSBackend {
    /// Encodes and signs a certificate with `gnutls_x509_crt_privkey_sign`.
    ///
    /// Every field comes from `request`; GnuTLS adds no extension of its own. The
    /// issuer name is copied by GnuTLS from the issuer certificate's subject (or
    /// from the certificate's own subject when self-signed).
    public func createCertificate(_ request: CertificateRequest, issuer: [UInt8]?, signingKey: PrivateKey) throws
        -> [UInt8]
    {
        try Self.ready()
        let crt = try GnuTLSCertificateHandle()
        let issuerCertificate = try issuer.map { try GnuTLSCertificateHandle(der: $0) }
        let signer = try GnuTLSSigningKeyHandle(copying: GnuTLSPrivateKeyHandle(pkcs8: signingKey.pkcs8DER))

        try GnuTLSError.check(gnutls_x509_crt_set_version(crt.handle, 3), "cannot set the version")
        try GnuTLSCertificateWriter.setSerial(crt, request.serialNumber)
        try GnuTLSError.check(
            gnutls_x509_crt_set_activation_time(crt.handle, GnuTLSCertificateWriter.seconds(request.notBefore)),
            "cannot set notBefore")
        try GnuTLSError.check(
            gnutls_x509_crt_set_expiration_time(crt.handle, GnuTLSCertificateWriter.seconds(request.notAfter)),
            "cannot set notAfter")
        try GnuTLSCertificateWriter.setSubject(crt, request.subject)
        let publicKey = try GnuTLSPublicKeyHandle(spki: request.subjectPublicKeyInfo)
        try GnuTLSError.check(gnutls_x509_crt_set_pubkey(crt.handle, publicKey.handle), "cannot set the public key")
        try GnuTLSCertificateWriter.setExtensions(crt, request)

        let code = gnutls_x509_crt_privkey_sign(
            crt.handle, issuerCertificate?.handle ?? crt.handle, signer.handle,
            signer.signatureDigest(request.digest), 0)
        try GnuTLSError.check(code, "cannot sign the certificate")
        return try crt.export()
    }
}

/// The parts of certificate writing that are more than one call.
enum GnuTLSCertificateWriter {
    /// Seconds since 1970, whole (GnuTLS writes UTCTime through 2049 and GeneralizedTime after).
    static func seconds(_ date: Date) -> time_t { time_t(UTCClock.seconds(date)) }

    static func setSerial(_ crt: GnuTLSCertificateHandle, _ serial: [UInt8]) throws {
        try SerialNumber.check(serial)
        let code = serial.withUnsafeBytes { gnutls_x509_crt_set_serial(crt.handle, $0.baseAddress, $0.count) }
        try GnuTLSError.check(code, "cannot set the serial number", .invalidArgument)
    }

    /// Writes the subject RDN by RDN, in order. Values are passed pre-encoded (raw) so
    /// the string types are those OpenSSL uses: PrintableString for countryName,
    /// serialNumber and dnQualifier, IA5String for emailAddress and domainComponent,
    /// UTF8String for everything else.
    static func setSubject(_ crt: GnuTLSCertificateHandle, _ name: DistinguishedName) throws {
        guard !name.attributes.isEmpty else {
            // An empty subject still needs an (empty) rdnSequence to be encoded.
            let code = gnutls_x509_crt_set_dn(crt.handle, "", nil)
            try GnuTLSError.check(code, "cannot set an empty subject")
            return
        }
        for attribute in name.attributes {
            let encoded = try encodeValue(attribute)
            let code = attribute.oid.withCString { oid in
                encoded.withUnsafeBytes {
                    gnutls_x509_crt_set_dn_by_oid(crt.handle, oid, 1, $0.baseAddress, UInt32($0.count))
                }
            }
            try GnuTLSError.check(code, "cannot set subject attribute \(attribute.oid)", .invalidArgument)
        }
    }

    /// The DER of one attribute value.
    static func encodeValue(_ attribute: DistinguishedName.Attribute) throws -> [UInt8] {
        let bytes = Array(attribute.value.utf8)
        switch attribute.oid {
        case "2.5.4.6", "2.5.4.5", "2.5.4.46":
            let printable = Set(
                Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?".utf8))
            guard bytes.allSatisfy(printable.contains) else {
                throw PKIError(.invalidArgument, "'\(attribute.value)' is not a PrintableString (\(attribute.oid))")
            }
            return DERWriter.tlv(0x13, bytes)
        case "1.2.840.113549.1.9.1", "0.9.2342.19200300.100.1.25":
            guard bytes.allSatisfy({ $0 < 0x80 }) else {
                throw PKIError(.invalidArgument, "'\(attribute.value)' is not an IA5String (\(attribute.oid))")
            }
            return DERWriter.tlv(0x16, bytes)
        default:
            return DERWriter.tlv(0x0c, bytes)
        }
    }

    static func setExtensions(_ crt: GnuTLSCertificateHandle, _ request: CertificateRequest) throws {
        let handle = crt.handle
        try GnuTLSError.check(
            gnutls_x509_crt_set_basic_constraints(
                handle, request.isCA ? 1 : 0, Int32(request.isCA ? request.pathLengthConstraint ?? -1 : -1)),
            "cannot set basicConstraints")
        if !request.keyUsage.isEmpty {
            try GnuTLSError.check(
                gnutls_x509_crt_set_key_usage(handle, GnuTLSKeyUsage.gnutlsBits(request.keyUsage)),
                "cannot set keyUsage")
        }
        for oid in request.extendedKeyUsage {
            try GnuTLSError.check(
                gnutls_x509_crt_set_key_purpose_oid(handle, oid, 0), "cannot set extendedKeyUsage \(oid)",
                .invalidArgument)
        }
        if !request.subjectAlternativeNames.isEmpty {
            let der = try subjectAltNameDER(request.subjectAlternativeNames)
            let critical: UInt32 = request.subject.attributes.isEmpty ? 1 : 0
            let code = der.withUnsafeBytes {
                gnutls_x509_crt_set_extension_by_oid(handle, "2.5.29.17", $0.baseAddress, $0.count, critical)
            }
            try GnuTLSError.check(code, "cannot set subjectAltName")
        }
        if let ski = request.subjectKeyIdentifier {
            let code = ski.withUnsafeBytes { gnutls_x509_crt_set_subject_key_id(handle, $0.baseAddress, $0.count) }
            try GnuTLSError.check(code, "cannot set subjectKeyIdentifier")
        }
        if let aki = request.authorityKeyIdentifier {
            let code = aki.withUnsafeBytes { gnutls_x509_crt_set_authority_key_id(handle, $0.baseAddress, $0.count) }
            try GnuTLSError.check(code, "cannot set authorityKeyIdentifier")
        }
    }

    /// The subjectAltName extension value, built with GnuTLS's extension API so its criticality can be chosen.
    static func subjectAltNameDER(_ names: [SubjectAlternativeName]) throws -> [UInt8] {
        var sans: gnutls_subject_alt_names_t?
        try GnuTLSError.check(gnutls_subject_alt_names_init(&sans), "cannot create subjectAltName")
        guard let sans else { throw PKIError(.engine, "cannot create subjectAltName") }
        defer { gnutls_subject_alt_names_deinit(sans) }
        for name in names {
            let type: gnutls_x509_subject_alt_name_t
            let bytes: [UInt8]
            switch name {
            case .dns(let text): (type, bytes) = (GNUTLS_SAN_DNSNAME, Array(text.utf8))
            case .email(let text): (type, bytes) = (GNUTLS_SAN_RFC822NAME, Array(text.utf8))
            case .uri(let text): (type, bytes) = (GNUTLS_SAN_URI, Array(text.utf8))
            case .ip(let address): (type, bytes) = (GNUTLS_SAN_IPADDRESS, address.bytes)
            case .other(let tag):
                throw PKIError(.invalidArgument, "cannot write a subjectAltName of GeneralName tag \(tag)")
            }
            let code = GnuTLSDatum.with(bytes) { gnutls_subject_alt_names_set(sans, UInt32(type.rawValue), $0, nil) }
            try GnuTLSError.check(code, "cannot add subjectAltName \(name)", .invalidArgument)
        }
        return try GnuTLSDatum.allocated("cannot encode subjectAltName") {
            gnutls_x509_ext_export_subject_alt_names(sans, $0)
        }
    }
}

/// keyUsage bits between RFC 5280 numbering (``KeyUsage``) and GnuTLS's `GNUTLS_KEY_*` values.
enum GnuTLSKeyUsage {
    static let pairs: [(KeyUsage, Int32)] = [
        (.digitalSignature, GNUTLS_KEY_DIGITAL_SIGNATURE), (.nonRepudiation, GNUTLS_KEY_NON_REPUDIATION),
        (.keyEncipherment, GNUTLS_KEY_KEY_ENCIPHERMENT), (.dataEncipherment, GNUTLS_KEY_DATA_ENCIPHERMENT),
        (.keyAgreement, GNUTLS_KEY_KEY_AGREEMENT), (.keyCertSign, GNUTLS_KEY_KEY_CERT_SIGN),
        (.cRLSign, GNUTLS_KEY_CRL_SIGN), (.encipherOnly, GNUTLS_KEY_ENCIPHER_ONLY),
        (.decipherOnly, GNUTLS_KEY_DECIPHER_ONLY),
    ]

    static func gnutlsBits(_ usage: KeyUsage) -> UInt32 {
        pairs.reduce(0) { usage.contains($1.0) ? $0 | UInt32($1.1) : $0 }
    }

    static func keyUsage(_ bits: UInt32) -> KeyUsage {
        pairs.reduce(into: KeyUsage()) { if bits & UInt32($1.1) != 0 { $0.insert($1.0) } }
    }
}
