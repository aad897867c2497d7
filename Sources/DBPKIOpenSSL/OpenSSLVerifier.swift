import COpenSSL
import DBPKI
import Foundation

extension OpenSSLBackend {
    /// Validates a path with `X509_verify_cert`, collecting every error OpenSSL reports.
    ///
    /// The policy is translated to: the trust anchors in an `X509_STORE` with
    /// `X509_V_FLAG_PARTIAL_CHAIN` (any anchor ends a path), the intermediates as untrusted
    /// certificates, `X509_V_FLAG_X509_STRICT`, authentication level 2 (112-bit security), the
    /// policy time, a depth of ``VerificationPolicy/maxIntermediates``, the SSL server or client
    /// purpose, host name (no partial wildcards, never the subject CN) or IP address checks, and
    /// CRL checks on every certificate when CRLs are given. A missing CRL is not a failure, nor is
    /// an anchor's own extended key usage (see ``VerificationPolicy``). A certificate is valid up to
    /// and including the second of its notAfter (RFC 5280), where OpenSSL alone counts that second
    /// as expired.
    public func verify(_ request: VerificationRequest) throws -> VerificationResult {
        OpenSSLErrors.clear()
        let leaf = try OpenSSLCertificate(der: request.leaf)
        let intermediates = try request.intermediates.map { try OpenSSLCertificate(der: $0) }
        let anchors = try request.trustAnchors.map { try OpenSSLCertificate(der: $0) }
        let crls = try request.crls.map { try OpenSSLCRLObject(der: $0) }
        let verifier = OpenSSLVerifier(anchors: anchors)
        let (failures, path) = try verifier.run(
            leaf: leaf, intermediates: intermediates, crls: crls, policy: request.policy)
        return VerificationResult(engine: .openssl, failures: failures, path: path)
    }
}

/// One path validation: sets up the store and context, and gathers the failures the
/// verification callback reports. Used for one call only, on one thread.
final class OpenSSLVerifier {
    /// The security level: 112 bits, which rejects SHA-1 and MD5 signatures and RSA keys under 2048 bits.
    static let authenticationLevel: Int32 = 2

    /// The trust anchors, kept alive for the call.
    private let anchors: [OpenSSLCertificate]
    /// Failures in the order OpenSSL reported them, without repeats.
    private var failures = [VerificationFailure]()
    /// Set once the path was cut at the maximum depth: OpenSSL then also reports the missing issuer of the last
    /// certificate it kept, which is a consequence of the cut, not a separate failure.
    private var chainTooLong = false
    /// The validation time, for the notAfter boundary.
    private var time: time_t = 0

    /// Errors saying that the issuer of a certificate is not available.
    static let missingIssuerCodes: Set<Int32> = [
        X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
        X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE,
    ]

    /// Makes a verifier for the given anchors.
    init(anchors: [OpenSSLCertificate]) { self.anchors = anchors }

    /// Runs `X509_verify_cert` and returns what failed and the path OpenSSL built.
    func run(
        leaf: OpenSSLCertificate, intermediates: [OpenSSLCertificate], crls: [OpenSSLCRLObject],
        policy: VerificationPolicy
    ) throws -> (failures: [VerificationFailure], path: [[UInt8]]) {
        guard let store = X509_STORE_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        defer { X509_STORE_free(store) }
        for anchor in anchors where X509_STORE_add_cert(store, anchor.pointer) != 1 {
            throw OpenSSLErrors.error(.engine, "cannot add a trust anchor")
        }
        for crl in crls where X509_STORE_add_crl(store, crl.pointer) != 1 {
            throw OpenSSLErrors.error(.engine, "cannot add a CRL")
        }
        guard let untrusted = dbpki_sk_X509_new_null() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        defer { dbpki_sk_X509_free(untrusted) }
        for certificate in intermediates where dbpki_sk_X509_push(untrusted, certificate.pointer) <= 0 {
            throw OpenSSLErrors.error(.engine, "out of memory")
        }
        guard let context = X509_STORE_CTX_new() else { throw OpenSSLErrors.error(.engine, "out of memory") }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, leaf.pointer, untrusted) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set up verification")
        }
        try configure(context, policy: policy, checkCRLs: !crls.isEmpty)

        failures = []
        chainTooLong = false
        time = time_t(UTCClock.seconds(policy.time))
        let result = withExtendedLifetime(self) { () -> Int32 in
            guard dbpki_X509_STORE_CTX_set_app_data(context, Unmanaged.passUnretained(self).toOpaque()) == 1 else {
                return -1
            }
            X509_STORE_CTX_set_verify_cb(context) { ok, context in
                guard let context, let data = dbpki_X509_STORE_CTX_get_app_data(context) else { return ok }
                return Unmanaged<OpenSSLVerifier>.fromOpaque(data).takeUnretainedValue().callback(ok: ok, context)
            }
            let result = X509_verify_cert(context)
            _ = dbpki_X509_STORE_CTX_set_app_data(context, nil)
            return result
        }
        let queued = OpenSSLErrors.drain()
        if result != 1 && failures.isEmpty {
            let code = X509_STORE_CTX_get_error(context)
            let message = code == X509_V_OK ? "verification failed" : Self.errorString(code)
            failures.append(
                VerificationFailure(reason: .other, message: queued.isEmpty ? message : "\(message) (\(queued))"))
        }
        return (failures, try Self.path(context))
    }

    /// The certificates of the path OpenSSL built (all of it when it reached an anchor).
    static func path(_ context: OpaquePointer) throws -> [[UInt8]] {
        guard let chain = X509_STORE_CTX_get0_chain(context) else { return [] }
        return try (0..<dbpki_sk_X509_num(chain)).compactMap { index in
            guard let certificate = dbpki_sk_X509_value(chain, index) else { return nil }
            return try DERCoding.encode("certificate") { i2d_X509(certificate, $0) }
        }
    }

    /// Translates the policy into verification parameters.
    private func configure(_ context: OpaquePointer, policy: VerificationPolicy, checkCRLs: Bool) throws {
        guard let parameters = X509_STORE_CTX_get0_param(context) else {
            throw OpenSSLErrors.error(.engine, "no verification parameters")
        }
        var flags = X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_X509_STRICT
        if checkCRLs { flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL }
        guard X509_VERIFY_PARAM_set_flags(parameters, UInt(flags)) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot set verification flags")
        }
        let seconds = policy.time.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite, abs(seconds) < 1e15 else { throw PKIError(.invalidArgument, "invalid policy time") }
        X509_VERIFY_PARAM_set_time(parameters, time_t(seconds))
        let depth = policy.maxIntermediates ?? VerificationPolicy.defaultMaxIntermediates
        guard depth >= 0, depth < 1000 else { throw PKIError(.invalidArgument, "invalid maximum intermediates") }
        X509_VERIFY_PARAM_set_depth(parameters, Int32(depth))
        X509_VERIFY_PARAM_set_auth_level(parameters, Self.authenticationLevel)
        if let purpose = policy.purpose {
            let id =
                switch purpose {
                case .server: X509_PURPOSE_SSL_SERVER
                case .client: X509_PURPOSE_SSL_CLIENT
                }
            guard X509_STORE_CTX_set_purpose(context, id) == 1 else {
                throw OpenSSLErrors.error(.engine, "cannot set the purpose")
            }
        }
        switch policy.peer {
        case .dns(let name):
            X509_VERIFY_PARAM_set_hostflags(
                parameters, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT))
            let bytes = Array(name.utf8)
            guard !bytes.isEmpty, !bytes.contains(0) else { throw PKIError(.invalidArgument, "invalid host name") }
            let ok = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) {
                    X509_VERIFY_PARAM_set1_host(parameters, $0.baseAddress, $0.count)
                }
            }
            guard ok == 1 else { throw OpenSSLErrors.error(.engine, "cannot set the host name") }
        case .ip(let address):
            let ok = address.bytes.withUnsafeBufferPointer {
                X509_VERIFY_PARAM_set1_ip(parameters, $0.baseAddress, $0.count)
            }
            guard ok == 1 else { throw OpenSSLErrors.error(.engine, "cannot set the IP address") }
        case nil:
            break
        }
    }

    /// Records an error and lets verification go on, so every problem is reported.
    private func callback(ok: Int32, _ context: OpaquePointer) -> Int32 {
        guard ok != 1 else { return 1 }
        let code = X509_STORE_CTX_get_error(context)
        let depth = X509_STORE_CTX_get_error_depth(context)
        if code == X509_V_ERR_UNABLE_TO_GET_CRL || isExemptAnchorError(code, depth: depth, context)
            || (chainTooLong && Self.missingIssuerCodes.contains(code)) || expiresThisSecond(code, context)
        {
            X509_STORE_CTX_set_error(context, X509_V_OK)
            return 1
        }
        if code == X509_V_ERR_CERT_CHAIN_TOO_LONG { chainTooLong = true }
        let failure = VerificationFailure(
            reason: Self.reason(for: code), message: Self.errorString(code), depth: depth >= 0 ? Int(depth) : nil)
        if !failures.contains(failure) { failures.append(failure) }
        return 1
    }

    /// OpenSSL reports a certificate as expired in the very second of its notAfter; RFC 5280 (and the policy)
    /// count that second as valid.
    private func expiresThisSecond(_ code: Int32, _ context: OpaquePointer) -> Bool {
        guard code == X509_V_ERR_CERT_HAS_EXPIRED, let current = X509_STORE_CTX_get_current_cert(context) else {
            return false
        }
        return ASN1_TIME_cmp_time_t(X509_get0_notAfter(current), time) == 0
    }

    /// An anchor's extended key usage, which the policy does not check (roots rarely carry one, and
    /// when they do it describes the CA operator, not the leaves below), and its encoding profile,
    /// which dbpki's core rules judge for both engines alike. Only for an anchor above the leaf. Its
    /// validity, CA-ness and path length are checked like any certificate's.
    private func isExemptAnchorError(_ code: Int32, depth: Int32, _ context: OpaquePointer) -> Bool {
        guard depth > 0, Self.anchorExemptCodes.contains(code),
            let current = X509_STORE_CTX_get_current_cert(context)
        else { return false }
        return anchors.contains { X509_cmp($0.pointer, current) == 0 }
    }

    /// See ``isExemptAnchorError(_:depth:_:)``.
    static let anchorExemptCodes: Set<Int32> = Set([X509_V_ERR_INVALID_PURPOSE]).union(strictProfileCodes)

    /// Findings of `X509_V_FLAG_X509_STRICT` and other encoding problems.
    static let strictProfileCodes: Set<Int32> = [
        X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA, X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN,
        X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA, X509_V_ERR_ISSUER_NAME_EMPTY,
        X509_V_ERR_SUBJECT_NAME_EMPTY, X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER,
        X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER, X509_V_ERR_EMPTY_SUBJECT_ALT_NAME,
        X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL, X509_V_ERR_CA_BCONS_NOT_CRITICAL,
        X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL, X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL,
        X509_V_ERR_CA_CERT_MISSING_KEY_USAGE, X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3,
        X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, X509_V_ERR_INVALID_EXTENSION, X509_V_ERR_INVALID_POLICY_EXTENSION,
        X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH, X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY,
        X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE,
    ]

    /// OpenSSL's text for a verification error code.
    static func errorString(_ code: Int32) -> String {
        guard let text = X509_verify_cert_error_string(Int(code)) else { return "verification error \(code)" }
        return String(cString: text)
    }

    /// The normalized reason for an OpenSSL verification error code.
    static func reason(for code: Int32) -> VerificationFailure.Reason {
        switch code {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            .expired
        case X509_V_ERR_CERT_NOT_YET_VALID:
            .notYetValid
        case X509_V_ERR_HOSTNAME_MISMATCH:
            .hostnameMismatch
        case X509_V_ERR_IP_ADDRESS_MISMATCH:
            .ipMismatch
        case X509_V_ERR_INVALID_PURPOSE:
            .purposeMismatch
        case X509_V_ERR_INVALID_CA, X509_V_ERR_INVALID_NON_CA, X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
            .notCA
        case X509_V_ERR_PATH_LENGTH_EXCEEDED, X509_V_ERR_CERT_CHAIN_TOO_LONG, X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED:
            .pathLengthExceeded
        case X509_V_ERR_CERT_REVOKED:
            .revoked
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
            X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
            X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_UNTRUSTED, X509_V_ERR_CERT_REJECTED:
            .untrusted
        case X509_V_ERR_CERT_SIGNATURE_FAILURE, X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
            .badSignature
        case X509_V_ERR_CA_MD_TOO_WEAK, X509_V_ERR_CA_KEY_TOO_SMALL, X509_V_ERR_EE_KEY_TOO_SMALL:
            .insecureAlgorithm
        case X509_V_ERR_PERMITTED_VIOLATION, X509_V_ERR_EXCLUDED_VIOLATION, X509_V_ERR_SUBTREE_MINMAX,
            X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE, X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX,
            X509_V_ERR_UNSUPPORTED_NAME_SYNTAX:
            .nameConstraints
        case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
            .unknownCriticalExtension
        case X509_V_ERR_CRL_SIGNATURE_FAILURE, X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE,
            X509_V_ERR_CRL_HAS_EXPIRED, X509_V_ERR_CRL_NOT_YET_VALID, X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER,
            X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD, X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD,
            X509_V_ERR_KEYUSAGE_NO_CRL_SIGN, X509_V_ERR_DIFFERENT_CRL_SCOPE, X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
            .invalidCRL
        case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD,
            X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, X509_V_ERR_NO_ISSUER_PUBLIC_KEY:
            .malformed
        case _ where strictProfileCodes.contains(code):
            .malformed
        default:
            .other
        }
    }
}
