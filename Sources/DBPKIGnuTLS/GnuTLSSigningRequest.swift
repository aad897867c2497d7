import CGnuTLS
import DBPKI
import Foundation

extension GnuTLSBackend {
    /// Encodes a PKCS#10 request (`gnutls_x509_crq_t`, version 1) for `key` and signs it with
    /// `key` (`gnutls_x509_crq_privkey_sign`). Subject values are written pre-encoded, with the
    /// string types certificates get; names and a CA request go in the extensionRequest.
    public func createSigningRequest(_ template: SigningRequestTemplate, key: PrivateKey) throws -> [UInt8] {
        try Self.ready()
        let request = try GnuTLSSigningRequestHandle()
        let privateKey = try GnuTLSPrivateKeyHandle(pkcs8: key.pkcs8DER)
        let signer = try GnuTLSSigningKeyHandle(copying: privateKey)
        let handle = request.handle
        try GnuTLSError.check(gnutls_x509_crq_set_version(handle, 1), "cannot set the version")
        if template.subject.attributes.isEmpty {
            try GnuTLSError.check(gnutls_x509_crq_set_dn(handle, "", nil), "cannot set an empty subject")
        }
        for attribute in template.subject.attributes {
            let encoded = try GnuTLSCertificateWriter.encodeValue(attribute)
            let code = attribute.oid.withCString { oid in
                encoded.withUnsafeBytes {
                    gnutls_x509_crq_set_dn_by_oid(handle, oid, 1, $0.baseAddress, UInt32($0.count))
                }
            }
            try GnuTLSError.check(code, "cannot set subject attribute \(attribute.oid)", .invalidArgument)
        }
        let publicKey = try privateKey.publicKey()
        _ = try withExtendedLifetime(publicKey) {
            try GnuTLSError.check(gnutls_x509_crq_set_pubkey(handle, publicKey.handle), "cannot set the public key")
        }
        if template.requestsCA {
            try GnuTLSError.check(gnutls_x509_crq_set_basic_constraints(handle, 1, -1), "cannot set basicConstraints")
        }
        if !template.subjectAlternativeNames.isEmpty {
            let der = try GnuTLSCertificateWriter.subjectAltNameDER(template.subjectAlternativeNames)
            let critical: UInt32 = template.subject.attributes.isEmpty ? 1 : 0
            let code = der.withUnsafeBytes {
                gnutls_x509_crq_set_extension_by_oid(handle, "2.5.29.17", $0.baseAddress, $0.count, critical)
            }
            try GnuTLSError.check(code, "cannot set subjectAltName")
        }
        try GnuTLSError.check(
            gnutls_x509_crq_privkey_sign(handle, signer.handle, signer.signatureDigest(template.digest), 0),
            "cannot sign the request")
        return try GnuTLSDatum.allocated("cannot encode the request") {
            gnutls_x509_crq_export2(handle, GNUTLS_X509_FMT_DER, $0)
        }
    }

    /// Reads a DER PKCS#10 request; its signature is checked with `gnutls_x509_crq_verify`.
    public func parseSigningRequest(der: [UInt8]) throws -> CertificateSigningRequest {
        try Self.ready()
        let request = try GnuTLSSigningRequestHandle(der: der)
        let handle = request.handle
        let publicKey = try GnuTLSPublicKeyHandle()
        try GnuTLSError.check(
            gnutls_pubkey_import_x509_crq(publicKey.handle, handle, 0), "cannot read the request's public key",
            .invalidInput)
        let signatureOID = try GnuTLSDatum.sized("cannot read the signature algorithm") { buffer, size in
            gnutls_x509_crq_get_signature_oid(handle, buffer.assumingMemoryBound(to: CChar.self), size)
        }
        return CertificateSigningRequest(
            der: der,
            subject: try GnuTLSNameReader.format(der: try GnuTLSSigningRequestHandle.subjectDER(of: der)),
            subjectPublicKeyInfo: try publicKey.export(),
            publicKey: try publicKey.describe(),
            requestedNames: try request.subjectAlternativeNames(),
            requestsCA: try request.requestsCA(),
            signatureAlgorithmOID: signatureOID.map(GnuTLSDatum.string) ?? "",
            signatureVerifies: gnutls_x509_crq_verify(handle, 0) >= 0)
    }
}

/// Owns one `gnutls_x509_crq_t`.
final class GnuTLSSigningRequestHandle {
    let handle: gnutls_x509_crq_t

    /// An empty request, to be filled in and signed.
    init() throws { handle = try GnuTLSObject.make("a certificate request", gnutls_x509_crq_init) }

    /// Decodes one DER request; anything but exactly one DER SEQUENCE is refused.
    convenience init(der: [UInt8]) throws {
        try self.init()
        try GnuTLSObject.importDER(der, "certificate request") {
            gnutls_x509_crq_import(handle, $0, GNUTLS_X509_FMT_DER)
        }
    }

    deinit { gnutls_x509_crq_deinit(handle) }

    /// The subjectAltName entries of the extensionRequest, in encoded order.
    func subjectAlternativeNames() throws -> [SubjectAlternativeName] {
        var names = [SubjectAlternativeName]()
        var index: UInt32 = 0
        while true {
            var type: UInt32 = 0
            let value = try GnuTLSDatum.sized("cannot read the requested subjectAltName") { buffer, size in
                gnutls_x509_crq_get_subject_alt_name(handle, index, buffer, size, &type, nil)
            }
            guard let value else { return names }
            names.append(
                GnuTLSCertificateReader.name(type: gnutls_x509_subject_alt_name_t(rawValue: type), value: value))
            index += 1
        }
    }

    /// basicConstraints cA of the extensionRequest (false when it is absent).
    func requestsCA() throws -> Bool {
        var critical: UInt32 = 0
        var isCA: UInt32 = 0
        var pathLength: Int32 = -1
        let code = gnutls_x509_crq_get_basic_constraints(handle, &critical, &isCA, &pathLength)
        if code == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE { return false }
        try GnuTLSError.check(code, "cannot read the requested basicConstraints", .invalidInput)
        return isCA != 0
    }

    /// The subject Name's DER inside a request's DER (GnuTLS offers the request's subject only as text).
    static func subjectDER(of der: [UInt8]) throws -> [UInt8] {
        var outer = DERReader(der[...])
        var request = DERReader(try outer.read(tag: 0x30).content)
        var info = DERReader(try request.read(tag: 0x30).content)
        _ = try info.read(tag: 0x02)
        return Array(try info.read(tag: 0x30).encoded)
    }
}
