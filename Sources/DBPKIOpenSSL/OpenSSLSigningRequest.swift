import COpenSSL
import DBPKI
import Foundation

extension OpenSSLBackend {
    /// Encodes a PKCS#10 request (`X509_REQ`, version 1) for `key` and signs it with `key`.
    /// The names and a CA request travel as an extensionRequest attribute, built from
    /// values as certificate extensions are.
    public func createSigningRequest(_ template: SigningRequestTemplate, key: PrivateKey) throws -> [UInt8] {
        OpenSSLErrors.clear()
        let signer = try Self.loadKey(key)
        guard let pointer = X509_REQ_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        let request = OpenSSLSigningRequest(pointer)
        guard X509_REQ_set_version(pointer, 0) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set the version")
        }
        let subject = try OpenSSLCertificateWriter.name(template.subject)
        defer { X509_NAME_free(subject) }
        guard X509_REQ_set_subject_name(pointer, subject) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set the subject")
        }
        guard X509_REQ_set_pubkey(pointer, signer.pointer) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set the public key")
        }
        try request.addExtensions(template)
        guard X509_REQ_sign(pointer, signer.pointer, Self.signingDigest(for: signer, template.digest)) > 0 else {
            throw OpenSSLErrors.error(.engine, "signing the request failed")
        }
        return try DERCoding.encode("certificate request") { i2d_X509_REQ(pointer, $0) }
    }

    /// Reads a DER PKCS#10 request; its signature is checked with `X509_REQ_verify` under its own key.
    public func parseSigningRequest(der: [UInt8]) throws -> CertificateSigningRequest {
        OpenSSLErrors.clear()
        defer { OpenSSLErrors.clear() }
        let request = try OpenSSLSigningRequest(der: der)
        let pointer = request.pointer
        guard let publicKeyInfo = X509_REQ_get_X509_PUBKEY(pointer) else {
            throw OpenSSLErrors.error(.invalidInput, "the request has no public key")
        }
        let spki = try DERCoding.encode("SubjectPublicKeyInfo") { i2d_X509_PUBKEY(publicKeyInfo, $0) }
        guard let publicKey = X509_REQ_get0_pubkey(pointer) else {
            throw OpenSSLErrors.error(.invalidInput, "the request's public key does not decode")
        }
        let description =
            try Self.describe(publicKey)
            ?? PublicKeyDescription(
                algorithm: .init(name: OpenSSLSigningRequest.algorithmOID(ofSPKI: spki)),
                bits: Int(EVP_PKEY_get_bits(publicKey)), curve: nil)
        let verifies = X509_REQ_verify(pointer, publicKey) == 1
        OpenSSLErrors.clear()
        var algorithm: UnsafePointer<X509_ALGOR>?
        X509_REQ_get0_signature(pointer, nil, &algorithm)
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        let extensions = try request.extensions()
        return CertificateSigningRequest(
            der: der,
            subject: try OpenSSLCertificateReader.format(X509_REQ_get_subject_name(pointer), "subject"),
            subjectPublicKeyInfo: spki, publicKey: description,
            requestedNames: extensions.names, requestsCA: extensions.isCA,
            signatureAlgorithmOID: DERCoding.dottedOID(object), signatureVerifies: verifies)
    }
}

/// Owns one `X509_REQ`, freed when the owner goes away.
final class OpenSSLSigningRequest {
    /// The request; valid for the owner's lifetime.
    let pointer: OpaquePointer

    /// Takes ownership of a request.
    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_REQ_free(pointer) }

    /// Decodes a DER request that must use every byte given.
    convenience init(der: [UInt8]) throws {
        let pointer = try DERCoding.decode(
            der, "certificate request", d2i: { d2i_X509_REQ(nil, $0, $1) }, free: X509_REQ_free)
        self.init(pointer)
    }

    /// Adds the extensionRequest attribute: basicConstraints cA TRUE (critical) when a CA is
    /// asked for, and the subjectAltName; nothing when neither is.
    func addExtensions(_ template: SigningRequestTemplate) throws {
        var stack: OpaquePointer?
        defer { if let stack { OPENSSL_sk_pop_free(stack) { X509_EXTENSION_free(OpaquePointer($0)) } } }
        if template.requestsCA {
            guard let constraints = BASIC_CONSTRAINTS_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
            defer { BASIC_CONSTRAINTS_free(constraints) }
            constraints.pointee.ca = 0xff
            guard X509V3_add1_i2d(&stack, NID_basic_constraints, constraints, 1, UInt(X509V3_ADD_DEFAULT)) == 1 else {
                throw OpenSSLErrors.error(.engine, "cannot encode basicConstraints")
            }
        }
        if !template.subjectAlternativeNames.isEmpty {
            let names = try OpenSSLCertificateWriter.generalNames(template.subjectAlternativeNames)
            defer { GENERAL_NAMES_free(names) }
            let critical: Int32 = template.subject.attributes.isEmpty ? 1 : 0
            guard
                X509V3_add1_i2d(
                    &stack, NID_subject_alt_name, UnsafeMutableRawPointer(names), critical, UInt(X509V3_ADD_DEFAULT))
                    == 1
            else { throw OpenSSLErrors.error(.engine, "cannot encode subjectAltName") }
        }
        if let stack, X509_REQ_add_extensions(pointer, stack) != 1 {
            throw OpenSSLErrors.error(.engine, "cannot add the extensionRequest attribute")
        }
    }

    /// The subjectAltName entries and basicConstraints cA of the extensionRequest attribute.
    /// An attribute or extension that does not decode, or a repeated one, is `.invalidInput`.
    func extensions() throws -> (names: [SubjectAlternativeName], isCA: Bool) {
        guard X509_REQ_get_attr_by_NID(pointer, NID_ext_req, -1) >= 0 else { return ([], false) }
        guard let stack = X509_REQ_get_extensions(pointer) else {
            throw OpenSSLErrors.error(.invalidInput, "the request's extensionRequest attribute does not decode")
        }
        defer { OPENSSL_sk_pop_free(stack) { X509_EXTENSION_free(OpaquePointer($0)) } }
        var isCA = false
        var critical: Int32 = 0
        if let value = X509V3_get_d2i(stack, NID_basic_constraints, &critical, nil) {
            let constraints = value.assumingMemoryBound(to: BASIC_CONSTRAINTS.self)
            isCA = constraints.pointee.ca != 0
            BASIC_CONSTRAINTS_free(constraints)
        } else if critical != -1 {
            throw OpenSSLErrors.error(.invalidInput, "the request's basicConstraints is malformed or repeated")
        }
        var names = [SubjectAlternativeName]()
        if let value = X509V3_get_d2i(stack, NID_subject_alt_name, &critical, nil) {
            let list = OpaquePointer(value)
            defer { GENERAL_NAMES_free(list) }
            names = OpenSSLCertificateReader.names(of: list)
        } else if critical != -1 {
            throw OpenSSLErrors.error(.invalidInput, "the request's subjectAltName is malformed or repeated")
        }
        return (names, isCA)
    }

    /// The algorithm OID of a SubjectPublicKeyInfo, for keys OpenSSL has no description of.
    static func algorithmOID(ofSPKI spki: [UInt8]) throws -> String {
        var reader = DERReader(spki[...])
        var inner = DERReader(try reader.read(tag: 0x30).content)
        var algorithm = DERReader(try inner.read(tag: 0x30).content)
        return DERReader.objectIdentifierText(Array(try algorithm.read(tag: 0x06).content))
    }
}
