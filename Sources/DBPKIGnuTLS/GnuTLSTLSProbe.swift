import CGnuTLS
import DBPKI
import Foundation

extension GnuTLSBackend: TLSProbing {
    /// A TLS client handshake with GnuTLS on a connected socket, with no verification
    /// function set (so expired and self-signed certificates are read as well), then the
    /// chain from `gnutls_certificate_get_peers`.
    public func presentedChain(socket: Int32, serverName: String?, deadline: Double) throws -> [[UInt8]] {
        try Self.ready()
        var credentials: gnutls_certificate_credentials_t?
        try GnuTLSError.check(gnutls_certificate_allocate_credentials(&credentials), "cannot allocate credentials")
        defer { gnutls_certificate_free_credentials(credentials) }
        var session: gnutls_session_t?
        try GnuTLSError.check(gnutls_init(&session, UInt32(GNUTLS_CLIENT)), "cannot create a TLS session")
        defer { gnutls_deinit(session) }
        try GnuTLSError.check(gnutls_set_default_priority(session), "cannot set the TLS priorities")
        try GnuTLSError.check(
            gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, UnsafeMutableRawPointer(credentials)),
            "cannot set credentials")
        if let serverName {
            let bytes = Array(serverName.utf8)
            try GnuTLSError.check(
                gnutls_server_name_set(session, GNUTLS_NAME_DNS, bytes, bytes.count),
                "cannot send server name '\(serverName)'", .invalidArgument)
        }
        gnutls_transport_set_int2(session, socket, socket)
        let left = max(deadline - Date().timeIntervalSince1970, 0.001)
        gnutls_handshake_set_timeout(session, UInt32((left * 1000).rounded(.up)))
        while true {
            let code = gnutls_handshake(session)
            if code >= 0 { break }
            // With socket timeouts set, a silent peer surfaces as EAGAIN: retry only until the deadline.
            if gnutls_error_is_fatal(code) == 0 && Date().timeIntervalSince1970 < deadline { continue }
            if code == GNUTLS_E_AGAIN || code == GNUTLS_E_TIMEDOUT || code == GNUTLS_E_INTERRUPTED {
                throw PKIError(.io, "TLS handshake timed out")
            }
            throw GnuTLSError.error(code, "TLS handshake failed", .invalidInput)
        }
        var count: UInt32 = 0
        guard let list = gnutls_certificate_get_peers(session, &count) else { return [] }
        let chain = (0..<Int(count)).map { GnuTLSDatum.copy(list[$0]) }
        _ = gnutls_bye(session, GNUTLS_SHUT_WR)
        return chain
    }
}
