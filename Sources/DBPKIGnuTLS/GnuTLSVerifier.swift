import CGnuTLS
import CGnuTLSShims
import DBPKI
import Foundation

extension GnuTLSBackend {
    /// Validates the leaf under the request's policy with `gnutls_x509_trust_list_verify_crt2`.
    ///
    /// GnuTLS validates the list it is given, so the path (leaf, then intermediates
    /// towards an anchor) is built here; alternatives are tried until one validates.
    public func verify(_ request: VerificationRequest) throws -> VerificationResult {
        try Self.ready()
        let verifier = try GnuTLSVerifier(request)
        dbpki_gnutls_set_thread_time(1, GnuTLSCertificateWriter.seconds(request.policy.time))
        defer { dbpki_gnutls_set_thread_time(0, 0) }
        let (failures, path) = try verifier.run()
        return VerificationResult(engine: .gnutls, failures: failures, path: path)
    }
}

/// One verification: the decoded inputs and the policy.
struct GnuTLSVerifier {
    let request: VerificationRequest
    let leaf: GnuTLSPathCertificate
    let intermediates: [GnuTLSPathCertificate]
    let anchors: [GnuTLSPathCertificate]
    let crls: [GnuTLSCRLHandle]
    let crlIssuers: [[UInt8]]

    /// GNUTLS_PROFILE_MEDIUM (112-bit security: no SHA-1 or MD5 signatures, RSA of 2048 bits or more);
    /// a DNS name never matches an iPAddress SAN.
    static let flags: UInt32 =
        dbpki_gnutls_profile_to_vflags(GNUTLS_PROFILE_MEDIUM) | GNUTLS_VERIFY_DO_NOT_ALLOW_IP_MATCHES.rawValue

    init(_ request: VerificationRequest) throws {
        self.request = request
        leaf = try GnuTLSPathCertificate(der: request.leaf)
        intermediates = try request.intermediates.map(GnuTLSPathCertificate.init(der:))
        anchors = try request.trustAnchors.map(GnuTLSPathCertificate.init(der:))
        crls = try request.crls.map(GnuTLSCRLHandle.init(der:))
        crlIssuers = try crls.map { try $0.rawIssuer() }
    }

    /// The first path that validates, or the first candidate and its failures when none does.
    func run() throws -> (failures: [VerificationFailure], path: [[UInt8]]) {
        let builder = GnuTLSPathBuilder(leaf: leaf, intermediates: intermediates, anchors: anchors)
        var first: (failures: [VerificationFailure], path: [[UInt8]])?
        for path in builder.paths() {
            let failures = try evaluate(path)
            var certificates = [leaf.der] + path.intermediates.map { intermediates[$0].der }
            if let anchor = path.anchor, anchors[anchor].der != leaf.der { certificates.append(anchors[anchor].der) }
            if failures.isEmpty { return ([], certificates) }
            if first == nil { first = (failures, certificates) }
        }
        // The builder always yields a candidate; should it not, fail closed.
        return first ?? ([VerificationFailure(reason: .untrusted, message: "no path to a trust anchor")], [leaf.der])
    }

    /// The failures of one candidate path: GnuTLS's status (with the peer name and purpose),
    /// dbpki's own name and depth checks, and revocation against the given CRLs.
    func evaluate(_ path: GnuTLSPathBuilder.Path) throws -> [VerificationFailure] {
        let certificates = [leaf] + path.intermediates.map { intermediates[$0] }
        let anchor = path.anchor.map { anchors[$0] }
        var failures = [VerificationFailure]()

        // The trust list owns copies of the anchors and frees them with itself.
        let list = try GnuTLSTrustListHandle()
        try list.add(anchors: request.trustAnchors)

        var data = [(gnutls_vdata_types_t, [UInt8])]()
        if let purpose = request.policy.purpose {
            data.append((GNUTLS_DT_KEY_PURPOSE_OID, Array(purpose.extendedKeyUsageOID.utf8) + [0]))
        }
        switch request.policy.peer {
        case .dns(let name)?:
            let sans = try GnuTLSCertificateReader.subjectAlternativeNames(leaf.crt.handle)
            if sans.contains(where: { if case .dns = $0 { true } else { false } }) {
                data.append((GNUTLS_DT_DNS_HOSTNAME, Array(name.utf8) + [0]))
            } else {
                // RFC 6125: no fallback to the subject CN, which GnuTLS would otherwise try.
                failures.append(
                    VerificationFailure(
                        reason: .hostnameMismatch,
                        message: "The certificate has no DNS name (subjectAltName dNSName) to match \(name).", depth: 0)
                )
            }
        case .ip(let address)?:
            data.append((GNUTLS_DT_IP_ADDRESS, address.bytes))
        case nil:
            break
        }

        let status = try list.verify(certificates.map { $0.crt.handle }, data: data, flags: Self.flags)
        failures += map(status, chain: certificates + (anchor.map { [$0] } ?? []))

        let limit = request.policy.maxIntermediates ?? VerificationPolicy.defaultMaxIntermediates
        if path.intermediates.count > limit {
            failures.append(
                VerificationFailure(
                    reason: .pathLengthExceeded,
                    message: "The path has \(path.intermediates.count) intermediate certificates; at most \(limit) may."
                ))
        }
        if anchor != nil || certificates.count > 1 {
            failures += try revocation(certificates, anchor: anchor)
        }
        var seen = Set<VerificationFailure>()
        return failures.filter { seen.insert($0).inserted }
    }

    /// Normalized reasons for a GnuTLS status word.
    func map(_ status: UInt32, chain: [GnuTLSPathCertificate]) -> [VerificationFailure] {
        guard status != 0 else { return [] }
        var failures = [VerificationFailure]()
        func add(_ bit: gnutls_certificate_status_t, _ reasons: [VerificationFailure.Reason], depth: Int? = nil) {
            guard status & bit.rawValue != 0 else { return }
            let message = Self.message(bit.rawValue)
            for reason in reasons {
                failures.append(VerificationFailure(reason: reason, message: message, depth: depth))
            }
        }
        let ownerReason: VerificationFailure.Reason
        if case .ip? = request.policy.peer { ownerReason = .ipMismatch } else { ownerReason = .hostnameMismatch }
        add(GNUTLS_CERT_SIGNER_NOT_FOUND, [.untrusted])
        add(GNUTLS_CERT_SIGNATURE_FAILURE, [.badSignature])
        add(GNUTLS_CERT_EXPIRED, [.expired])
        add(GNUTLS_CERT_NOT_ACTIVATED, [.notYetValid])
        add(GNUTLS_CERT_SIGNER_NOT_CA, [.notCA])
        add(GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, constraintReasons(chain))
        add(GNUTLS_CERT_INSECURE_ALGORITHM, [.insecureAlgorithm])
        add(GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS, [.unknownCriticalExtension])
        add(GNUTLS_CERT_PURPOSE_MISMATCH, [.purposeMismatch])
        add(GNUTLS_CERT_UNEXPECTED_OWNER, [ownerReason], depth: 0)
        add(GNUTLS_CERT_REVOKED, [.revoked])
        add(GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED, [.invalidCRL])
        add(GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE, [.invalidCRL])
        if failures.isEmpty {
            failures.append(VerificationFailure(reason: .other, message: Self.message(status)))
        }
        return failures
    }

    /// GnuTLS uses one status bit for a path length, a keyUsage without keyCertSign on an
    /// issuer, and name constraints; tell them apart by looking at the path.
    func constraintReasons(_ chain: [GnuTLSPathCertificate]) -> [VerificationFailure.Reason] {
        var reasons = [VerificationFailure.Reason]()
        for (index, issuer) in chain.enumerated().dropFirst() {
            if let pathLength = issuer.pathLengthConstraint, index - 1 > pathLength,
                !reasons.contains(.pathLengthExceeded)
            {
                reasons.append(.pathLengthExceeded)
            }
            if let usage = issuer.keyUsage, !usage.contains(.keyCertSign), !reasons.contains(.notCA) {
                reasons.append(.notCA)
            }
        }
        return reasons.isEmpty ? [.nameConstraints] : reasons
    }

    /// Checks each certificate against the CRLs its issuer signed (GnuTLS's trust list would
    /// only accept CRLs from trust anchors, and skips revocation once anything else failed).
    func revocation(_ certificates: [GnuTLSPathCertificate], anchor: GnuTLSPathCertificate?) throws
        -> [VerificationFailure]
    {
        var failures = [VerificationFailure]()
        let timeOnly =
            GNUTLS_CERT_INVALID.rawValue | GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED.rawValue
            | GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE.rawValue
        for (depth, certificate) in certificates.enumerated() {
            let issuer = depth + 1 < certificates.count ? certificates[depth + 1] : anchor
            guard let issuer else { continue }
            for (index, crl) in crls.enumerated() where crlIssuers[index] == issuer.subject {
                var issuerHandle: gnutls_x509_crt_t? = issuer.crt.handle
                var status: UInt32 = 0
                try GnuTLSError.check(
                    gnutls_x509_crl_verify(crl.handle, &issuerHandle, 1, Self.flags, &status), "cannot verify a CRL")
                if status != 0 {
                    failures.append(
                        VerificationFailure(reason: .invalidCRL, message: "CRL: " + Self.message(status), depth: depth))
                }
                guard status & ~timeOnly == 0 else { continue }
                var crlHandle: gnutls_x509_crl_t? = crl.handle
                let revoked = gnutls_x509_crt_check_revocation(certificate.crt.handle, &crlHandle, 1)
                if revoked == 1 {
                    failures.append(
                        VerificationFailure(
                            reason: .revoked, message: Self.message(GNUTLS_CERT_REVOKED.rawValue), depth: depth))
                }
            }
        }
        return failures
    }

    /// GnuTLS's words for a status.
    static func message(_ status: UInt32) -> String {
        var datum = gnutls_datum_t()
        let code = gnutls_certificate_verification_status_print(
            status | GNUTLS_CERT_INVALID.rawValue, GNUTLS_CRT_X509, &datum, 0)
        guard code >= 0 else { return "verification status \(status)" }
        let text = String(decoding: GnuTLSDatum.take(&datum), as: UTF8.self)
        let trimmed = text.replacingOccurrences(of: "The certificate is NOT trusted. ", with: "")
        return trimmed.trimmingCharacters(in: .whitespaces)
    }
}

/// Owns one `gnutls_x509_trust_list_t` and the anchor certificates added to it.
final class GnuTLSTrustListHandle {
    let handle: gnutls_x509_trust_list_t

    init() throws {
        var list: gnutls_x509_trust_list_t?
        try GnuTLSError.check(gnutls_x509_trust_list_init(&list, 0), "cannot create a trust list")
        guard let list else { throw PKIError(.engine, "cannot create a trust list") }
        handle = list
    }

    /// The list takes the certificates it is given, so it frees them (deinit with `all` = 1).
    deinit { gnutls_x509_trust_list_deinit(handle, 1) }

    /// Adds fresh copies of the anchors; the list owns them from then on. Until it takes
    /// them, they are this function's to free, on every way out.
    func add(anchors: [[UInt8]]) throws {
        var handles = [gnutls_x509_crt_t?]()
        var taken = 0  // how many of `handles`, from the front, the list owns
        defer { handles[taken...].forEach { gnutls_x509_crt_deinit($0) } }
        for der in anchors {
            var crt: gnutls_x509_crt_t?
            try GnuTLSError.check(gnutls_x509_crt_init(&crt), "cannot create a certificate")
            handles.append(crt)
            let code = GnuTLSDatum.with(der) { gnutls_x509_crt_import(crt, $0, GNUTLS_X509_FMT_DER) }
            guard code >= 0 else { throw GnuTLSError.error(code, "cannot decode a trust anchor", .invalidInput) }
        }
        guard !handles.isEmpty else { return }
        // Returns how many it took, in order; it stops early only when out of memory.
        let added = gnutls_x509_trust_list_add_cas(handle, &handles, UInt32(handles.count), 0)
        taken = min(max(Int(added), 0), handles.count)
        try GnuTLSError.check(added, "cannot add the trust anchors")
        guard taken == handles.count else {
            throw PKIError(.engine, "cannot add the trust anchors (\(taken) of \(handles.count) taken)")
        }
    }

    /// Runs `gnutls_x509_trust_list_verify_crt2` on a path (leaf first) and returns the status word.
    func verify(_ path: [gnutls_x509_crt_t], data: [(gnutls_vdata_types_t, [UInt8])], flags: UInt32) throws -> UInt32 {
        var certificates: [gnutls_x509_crt_t?] = path
        let buffers = data.map { entry -> UnsafeMutableBufferPointer<UInt8> in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(entry.1.count, 1))
            _ = buffer.initialize(from: entry.1)
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var typed = zip(data, buffers).map { entry, buffer in
            // Strings are passed with their terminator, which GnuTLS does not count.
            let isString = entry.0 != GNUTLS_DT_IP_ADDRESS
            return gnutls_typed_vdata_st(
                type: entry.0, data: buffer.baseAddress, size: UInt32(entry.1.count - (isString ? 1 : 0)))
        }
        var status: UInt32 = 0
        let code = gnutls_x509_trust_list_verify_crt2(
            handle, &certificates, UInt32(certificates.count), &typed, UInt32(typed.count), flags, &status, nil)
        try GnuTLSError.check(code, "cannot verify the certificate")
        return status
    }
}
