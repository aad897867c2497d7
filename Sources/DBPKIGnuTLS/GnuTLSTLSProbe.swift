import CGnuTLS
import DBPKI
import Foundation

extension GnuTLSBackend: TLSProbing {
    /// A TLS client handshake with GnuTLS over the probe's connection, with no verification
    /// function set (so expired and self-signed certificates are read as well), then the
    /// chain from `gnutls_certificate_get_peers`.
    ///
    /// GnuTLS pulls and pushes through the connection (`gnutls_transport_set_pull_function`,
    /// `..._push_function`, `..._pull_timeout_function`) rather than the socket: the
    /// connection's reads stop at the probe's deadline however slowly bytes arrive, and its
    /// writes pass `MSG_NOSIGNAL` where GnuTLS's own sendmsg(2) passes no flag.
    public func presentedChain(over connection: TCPConnection, serverName: String?) throws -> [[UInt8]] {
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
        return try withExtendedLifetime(connection) {
            Self.attach(session, to: connection)
            // GnuTLS's own clock as a second bound; the connection's waits are the first.
            gnutls_handshake_set_timeout(session, UInt32(max(connection.deadline.remainingMilliseconds, 1)))
            while true {
                let code = gnutls_handshake(session)
                if code >= 0 { break }
                if gnutls_error_is_fatal(code) == 0 && !connection.deadline.hasPassed { continue }
                // Bytes that never came (deadline, close, reset) are the cause, whatever GnuTLS makes of them.
                if let failure = connection.readFailure { throw failure }
                if code == GNUTLS_E_PUSH_ERROR, let failure = connection.writeFailure { throw failure }
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

    /// Points the session's transport at `connection`, held unretained: the caller keeps it
    /// alive while the session lives. A failed call sets errno to EIO, which GnuTLS turns
    /// into a fatal pull or push error (EAGAIN would make it retry).
    private static func attach(_ session: gnutls_session_t?, to connection: TCPConnection) {
        gnutls_transport_set_ptr(session, Unmanaged.passUnretained(connection).toOpaque())
        gnutls_transport_set_pull_function(session) { pointer, buffer, length in
            guard let pointer, let buffer else { return -1 }
            let got = Unmanaged<TCPConnection>.fromOpaque(pointer).takeUnretainedValue()
                .receive(into: buffer, count: length)
            if got < 0 { errno = EIO }
            return got
        }
        gnutls_transport_set_push_function(session) { pointer, bytes, length in
            guard let pointer, let bytes else { return -1 }
            let sent = Unmanaged<TCPConnection>.fromOpaque(pointer).takeUnretainedValue().send(bytes, count: length)
            if sent < 0 { errno = EIO }
            return sent
        }
        gnutls_transport_set_pull_timeout_function(session) { pointer, milliseconds in
            guard let pointer else { return -1 }
            let ready = Unmanaged<TCPConnection>.fromOpaque(pointer).takeUnretainedValue()
                .waitForInput(atMost: Int(milliseconds))
            if ready < 0 { errno = EIO }
            return ready
        }
    }
}
