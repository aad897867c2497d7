import CGnuTLS
import DBPKI

/// Owns one `gnutls_x509_crt_t`.
final class GnuTLSCertificateHandle {
    let handle: gnutls_x509_crt_t

    /// An empty certificate, to be filled in and signed.
    init() throws { handle = try GnuTLSObject.make("a certificate", gnutls_x509_crt_init) }

    /// Decodes one DER certificate; anything but exactly one DER SEQUENCE is refused.
    convenience init(der: [UInt8]) throws {
        try self.init()
        try GnuTLSObject.importDER(der, "certificate") { gnutls_x509_crt_import(handle, $0, GNUTLS_X509_FMT_DER) }
    }

    deinit { gnutls_x509_crt_deinit(handle) }

    /// The certificate's DER.
    func export() throws -> [UInt8] {
        try GnuTLSDatum.allocated("cannot encode the certificate") {
            gnutls_x509_crt_export2(handle, GNUTLS_X509_FMT_DER, $0)
        }
    }

    /// The subject name's DER.
    func rawSubject() throws -> [UInt8] {
        try GnuTLSDatum.allocated("cannot read the subject") { gnutls_x509_crt_get_raw_dn(handle, $0) }
    }

    /// The issuer name's DER.
    func rawIssuer() throws -> [UInt8] {
        try GnuTLSDatum.allocated("cannot read the issuer") { gnutls_x509_crt_get_raw_issuer_dn(handle, $0) }
    }

    /// subjectKeyIdentifier, nil when absent.
    func subjectKeyIdentifier() throws -> [UInt8]? {
        try GnuTLSDatum.sized("cannot read the subject key identifier") { buffer, size in
            gnutls_x509_crt_get_subject_key_id(handle, buffer, size, nil)
        }
    }

    /// authorityKeyIdentifier keyIdentifier, nil when absent (or when only issuer and serial are given).
    func authorityKeyIdentifier() throws -> [UInt8]? {
        var size = 0
        let probe = gnutls_x509_crt_get_authority_key_id(handle, nil, &size, nil)
        if probe == GNUTLS_E_X509_UNSUPPORTED_EXTENSION { return nil }
        return try GnuTLSDatum.sized("cannot read the authority key identifier") { buffer, size in
            gnutls_x509_crt_get_authority_key_id(handle, buffer, size, nil)
        }
    }

    /// The subject public key.
    func publicKey() throws -> GnuTLSPublicKeyHandle {
        let key = try GnuTLSPublicKeyHandle()
        try GnuTLSError.check(
            gnutls_pubkey_import_x509(key.handle, handle, 0), "cannot read the certificate's public key",
            .invalidInput)
        return key
    }
}
