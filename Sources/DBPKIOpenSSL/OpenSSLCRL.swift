import COpenSSL
import DBPKI
import Foundation

extension OpenSSLBackend {
    /// Encodes and signs an X.509 v2 CRL.
    ///
    /// The issuer name is copied from the issuer certificate as encoded. Revoked entries keep the
    /// request's order (not sorted by serial); each has a reasonCode extension when a reason is
    /// given. CRL extensions, in order: authorityKeyIdentifier (keyIdentifier only, when given),
    /// then cRLNumber; neither is critical.
    public func createCRL(_ request: CRLRequest, issuer: [UInt8], signingKey: PrivateKey) throws -> [UInt8] {
        OpenSSLErrors.clear()
        let key = try Self.loadKey(signingKey)
        let issuerCertificate = try OpenSSLCertificate(der: issuer)
        guard let pointer = X509_CRL_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        let crl = OpenSSLCRLObject(pointer)
        try OpenSSLCRL(crl: crl.pointer).write(request, issuer: issuerCertificate)
        guard X509_CRL_sign(crl.pointer, key.pointer, Self.signingDigest(for: key, request.digest)) > 0 else {
            throw OpenSSLErrors.error(.engine, "signing the CRL failed")
        }
        return try DERCoding.encode("CRL") { i2d_X509_CRL(crl.pointer, $0) }
    }

    /// Parses one DER CRL (every byte must belong to it).
    public func parseCRL(der: [UInt8]) throws -> CRLInfo {
        OpenSSLErrors.clear()
        let crl = try OpenSSLCRLObject(der: der)
        defer { OpenSSLErrors.clear() }
        return try OpenSSLCRL.info(of: crl.pointer, der: der)
    }
}

/// Writes and reads `X509_CRL` objects.
struct OpenSSLCRL {
    /// The CRL being written (owned by the caller).
    let crl: OpaquePointer

    /// Sets every field, entry and extension (everything but the signature).
    func write(_ request: CRLRequest, issuer: OpenSSLCertificate) throws {
        guard X509_CRL_set_version(crl, Int(X509_CRL_VERSION_2)) == 1,
            X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer.pointer)) == 1
        else { throw OpenSSLErrors.error(.engine, "cannot set the CRL version and issuer") }
        let thisUpdate = try ASN1Time.make(request.thisUpdate)
        defer { ASN1_TIME_free(thisUpdate) }
        let nextUpdate = try ASN1Time.make(request.nextUpdate)
        defer { ASN1_TIME_free(nextUpdate) }
        guard X509_CRL_set1_lastUpdate(crl, thisUpdate) == 1, X509_CRL_set1_nextUpdate(crl, nextUpdate) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set the CRL dates")
        }
        for entry in request.revoked { try addRevoked(entry) }
        if let keyID = request.authorityKeyIdentifier {
            guard let value = AUTHORITY_KEYID_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
            defer { AUTHORITY_KEYID_free(value) }
            value.pointee.keyid = try DERCoding.string(type: V_ASN1_OCTET_STRING, bytes: keyID)
            guard X509_CRL_add1_ext_i2d(crl, NID_authority_key_identifier, value, 0, 0) == 1 else {
                throw OpenSSLErrors.error(.engine, "cannot add the authorityKeyIdentifier extension")
            }
        }
        let number = try DERCoding.integer(contentOctets: request.crlNumber, "CRL number")
        defer { ASN1_INTEGER_free(number) }
        guard X509_CRL_add1_ext_i2d(crl, NID_crl_number, number, 0, 0) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot add the cRLNumber extension")
        }
    }

    private func addRevoked(_ entry: RevokedCertificate) throws {
        guard let revoked = X509_REVOKED_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        do {
            let serial = try DERCoding.integer(contentOctets: entry.serialNumber, "revoked serial number")
            defer { ASN1_INTEGER_free(serial) }
            let date = try ASN1Time.make(entry.revocationDate)
            defer { ASN1_TIME_free(date) }
            guard X509_REVOKED_set_serialNumber(revoked, serial) == 1,
                X509_REVOKED_set_revocationDate(revoked, date) == 1
            else { throw OpenSSLErrors.error(.engine, "cannot set a revoked entry") }
            if let reason = entry.reason {
                guard let code = ASN1_ENUMERATED_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
                defer { ASN1_ENUMERATED_free(code) }
                guard ASN1_ENUMERATED_set(code, reason.rawValue) == 1,
                    X509_REVOKED_add1_ext_i2d(revoked, NID_crl_reason, code, 0, 0) == 1
                else { throw OpenSSLErrors.error(.engine, "cannot add a reasonCode extension") }
            }
            guard X509_CRL_add0_revoked(crl, revoked) == 1 else {
                throw OpenSSLErrors.error(.engine, "cannot add a revoked entry")
            }
        } catch {
            X509_REVOKED_free(revoked)
            throw error
        }
    }

    /// Reads a decoded CRL.
    static func info(of crl: OpaquePointer, der: [UInt8]) throws -> CRLInfo {
        var crlNumber: [UInt8]?
        var critical: Int32 = 0
        if X509_CRL_get_ext_by_NID(crl, NID_crl_number, -1) >= 0 {
            guard let value = X509_CRL_get_ext_d2i(crl, NID_crl_number, &critical, nil) else {
                throw OpenSSLErrors.error(.invalidInput, "malformed or repeated cRLNumber extension")
            }
            let number = value.assumingMemoryBound(to: ASN1_INTEGER.self)
            defer { ASN1_INTEGER_free(number) }
            crlNumber = try DERCoding.contentOctets(ofInteger: number, "CRL number")
        }
        var revoked = [RevokedCertificate]()
        if let stack = X509_CRL_get_REVOKED(crl) {
            for index in 0..<dbpki_sk_X509_REVOKED_num(stack) {
                guard let entry = dbpki_sk_X509_REVOKED_value(stack, index) else { continue }
                revoked.append(try revokedCertificate(entry))
            }
        }
        var algorithm: UnsafePointer<X509_ALGOR>?
        X509_CRL_get0_signature(crl, nil, &algorithm)
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        let nextUpdate = X509_CRL_get0_nextUpdate(crl)
        return CRLInfo(
            der: der,
            issuer: try OpenSSLCertificateReader.format(X509_CRL_get_issuer(crl), "CRL issuer"),
            thisUpdate: try ASN1Time.date(X509_CRL_get0_lastUpdate(crl), "thisUpdate"),
            nextUpdate: try nextUpdate.map { try ASN1Time.date($0, "nextUpdate") },
            crlNumber: crlNumber,
            revoked: revoked,
            signatureAlgorithmOID: DERCoding.dottedOID(object))
    }

    private static func revokedCertificate(_ entry: OpaquePointer) throws -> RevokedCertificate {
        guard let serial = X509_REVOKED_get0_serialNumber(entry) else {
            throw PKIError(.invalidInput, "revoked entry without a serial number")
        }
        var reason: RevocationReason?
        if X509_REVOKED_get_ext_by_NID(entry, NID_crl_reason, -1) >= 0 {
            var critical: Int32 = 0
            guard let value = X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, &critical, nil) else {
                throw OpenSSLErrors.error(.invalidInput, "malformed or repeated reasonCode extension")
            }
            let code = value.assumingMemoryBound(to: ASN1_ENUMERATED.self)
            defer { ASN1_ENUMERATED_free(code) }
            var number: Int64 = 0
            guard ASN1_ENUMERATED_get_int64(&number, code) == 1, let known = RevocationReason(rawValue: Int(number))
            else { throw OpenSSLErrors.error(.invalidInput, "unknown CRL reason code") }
            reason = known
        }
        return RevokedCertificate(
            serialNumber: try DERCoding.contentOctets(ofInteger: serial, "revoked serial number"),
            revocationDate: try ASN1Time.date(X509_REVOKED_get0_revocationDate(entry), "revocationDate"),
            reason: reason)
    }
}
