import CGnuTLS
import DBPKI
import Foundation

extension GnuTLSBackend {
    /// Encodes and signs a version 2 CRL with `gnutls_x509_crl_privkey_sign`.
    ///
    /// GnuTLS 3.7 has no API for CRL entry extensions, so it cannot write
    /// reasonCode: the engine declares no ``EngineCapabilities/crlEntryReasons`` and the
    /// core does not ask, but a request with any reason is still refused as unsupported
    /// rather than written without it.
    public func createCRL(_ request: CRLRequest, issuer: [UInt8], signingKey: PrivateKey) throws -> [UInt8] {
        try Self.ready()
        if let entry = request.revoked.first(where: { $0.reason != nil }), let reason = entry.reason {
            let detail = "serial \(entry.serialHex) has reason \(reason.name)"
            throw PKIError(.unsupported, "GnuTLS cannot write CRL entry reason codes (\(detail))")
        }
        let crl = try GnuTLSCRLHandle()
        let issuerCertificate = try GnuTLSCertificateHandle(der: issuer)
        let signer = try GnuTLSSigningKeyHandle(copying: GnuTLSPrivateKeyHandle(pkcs8: signingKey.pkcs8DER))
        let handle = crl.handle

        try GnuTLSError.check(gnutls_x509_crl_set_version(handle, 2), "cannot set the CRL version")
        try GnuTLSError.check(
            gnutls_x509_crl_set_this_update(handle, GnuTLSCertificateWriter.seconds(request.thisUpdate)),
            "cannot set thisUpdate")
        try GnuTLSError.check(
            gnutls_x509_crl_set_next_update(handle, GnuTLSCertificateWriter.seconds(request.nextUpdate)),
            "cannot set nextUpdate")
        for entry in request.revoked {
            let code = entry.serialNumber.withUnsafeBytes {
                gnutls_x509_crl_set_crt_serial(
                    handle, $0.baseAddress, $0.count, GnuTLSCertificateWriter.seconds(entry.revocationDate))
            }
            try GnuTLSError.check(code, "cannot add serial \(entry.serialHex)", .invalidArgument)
        }
        let numberCode = request.crlNumber.withUnsafeBytes {
            gnutls_x509_crl_set_number(handle, $0.baseAddress, $0.count)
        }
        try GnuTLSError.check(numberCode, "cannot set the CRL number", .invalidArgument)
        if let aki = request.authorityKeyIdentifier {
            let code = aki.withUnsafeBytes { gnutls_x509_crl_set_authority_key_id(handle, $0.baseAddress, $0.count) }
            try GnuTLSError.check(code, "cannot set the CRL authorityKeyIdentifier")
        }
        try GnuTLSError.check(
            gnutls_x509_crl_privkey_sign(
                handle, issuerCertificate.handle, signer.handle, signer.signatureDigest(request.digest), 0),
            "cannot sign the CRL")
        return try GnuTLSDatum.allocated("cannot encode the CRL") {
            gnutls_x509_crl_export2(handle, GNUTLS_X509_FMT_DER, $0)
        }
    }

    /// Parses one DER CRL. Entry reason codes are read from the DER, as GnuTLS has no getter for them.
    public func parseCRL(der: [UInt8]) throws -> CRLInfo {
        try Self.ready()
        let crl = try GnuTLSCRLHandle(der: der)
        let handle = crl.handle
        let rawIssuer = try GnuTLSDatum.allocated("cannot read the CRL issuer") {
            gnutls_x509_crl_get_raw_issuer_dn(handle, $0)
        }
        let signatureOID = try GnuTLSDatum.sized("cannot read the CRL signature algorithm") { buffer, size in
            gnutls_x509_crl_get_signature_oid(handle, buffer.assumingMemoryBound(to: CChar.self), size)
        }
        let number = try GnuTLSDatum.sized("cannot read the CRL number") { buffer, size in
            gnutls_x509_crl_get_number(handle, buffer, size, nil)
        }
        let nextUpdate = gnutls_x509_crl_get_next_update(handle)
        let reasons = (try? GnuTLSCRLReasons.read(der)) ?? [:]

        var revoked = [RevokedCertificate]()
        var iterator: gnutls_x509_crl_iter_t?
        defer { if let iterator { gnutls_x509_crl_iter_deinit(iterator) } }
        while true {
            var serial = [UInt8](repeating: 0, count: 128)
            var size = serial.count
            var when: time_t = 0
            let code = serial.withUnsafeMutableBufferPointer {
                gnutls_x509_crl_iter_crt_serial(handle, &iterator, $0.baseAddress, &size, &when)
            }
            if code == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE { break }
            try GnuTLSError.check(code, "cannot read a revoked certificate", .invalidInput)
            let number = Array(serial.prefix(size))
            revoked.append(
                RevokedCertificate(
                    serialNumber: number, revocationDate: Date(timeIntervalSince1970: TimeInterval(when)),
                    reason: reasons[number]))
        }
        return CRLInfo(
            der: der,
            issuer: try GnuTLSNameReader.format(der: rawIssuer),
            thisUpdate: try GnuTLSCertificateReader.time(gnutls_x509_crl_get_this_update(handle), "thisUpdate"),
            nextUpdate: nextUpdate == -1 ? nil : Date(timeIntervalSince1970: TimeInterval(nextUpdate)),
            crlNumber: number,
            revoked: revoked,
            signatureAlgorithmOID: signatureOID.map(GnuTLSDatum.string) ?? ""
        )
    }
}

/// Owns one `gnutls_x509_crl_t`.
final class GnuTLSCRLHandle {
    let handle: gnutls_x509_crl_t

    init() throws { handle = try GnuTLSObject.make("a CRL", gnutls_x509_crl_init) }

    /// Decodes one DER CRL; anything but exactly one DER SEQUENCE is refused.
    convenience init(der: [UInt8]) throws {
        try self.init()
        try GnuTLSObject.importDER(der, "CRL") { gnutls_x509_crl_import(handle, $0, GNUTLS_X509_FMT_DER) }
    }

    deinit { gnutls_x509_crl_deinit(handle) }

    /// The issuer name's DER.
    func rawIssuer() throws -> [UInt8] {
        try GnuTLSDatum.allocated("cannot read the CRL issuer") { gnutls_x509_crl_get_raw_issuer_dn(handle, $0) }
    }
}

/// Reads CRL entry reasonCode extensions from the DER (GnuTLS 3.7 has no API for them).
enum GnuTLSCRLReasons {
    /// Serial content octets to reason, for the entries that have one.
    static func read(_ der: [UInt8]) throws -> [[UInt8]: RevocationReason] {
        var outer = DERReader(der[...])
        var certList = DERReader(try outer.read(tag: 0x30).content)
        var tbs = DERReader(try certList.read(tag: 0x30).content)
        var element = try tbs.read()
        if element.tag == 0x02 { element = try tbs.read() }  // version, then signature
        _ = try tbs.read(tag: 0x30)  // issuer
        _ = try tbs.read()  // thisUpdate
        guard !tbs.isAtEnd else { return [:] }
        element = try tbs.read()
        if element.tag == 0x17 || element.tag == 0x18 {  // nextUpdate
            guard !tbs.isAtEnd else { return [:] }
            element = try tbs.read()
        }
        guard element.tag == 0x30 else { return [:] }  // revokedCertificates (else crlExtensions)
        var reasons = [[UInt8]: RevocationReason]()
        var entries = DERReader(element.content)
        while !entries.isAtEnd {
            var entry = DERReader(try entries.read(tag: 0x30).content)
            let serial = Array(try entry.read(tag: 0x02).content)
            _ = try entry.read()  // revocationDate
            guard !entry.isAtEnd else { continue }
            var extensions = DERReader(try entry.read(tag: 0x30).content)
            while !extensions.isAtEnd {
                var fields = DERReader(try extensions.read(tag: 0x30).content)
                let oid = Array(try fields.read(tag: 0x06).content)
                var value = try fields.read()
                if value.tag == 0x01 { value = try fields.read() }  // critical
                guard oid == [0x55, 0x1d, 0x15], value.tag == 0x04 else { continue }  // 2.5.29.21 reasonCode
                var inner = DERReader(value.content)
                let code = try inner.read(tag: 0x0a).content
                if code.count == 1, let reason = RevocationReason(rawValue: Int(code[code.startIndex])) {
                    reasons[serial] = reason
                }
            }
        }
        return reasons
    }
}
