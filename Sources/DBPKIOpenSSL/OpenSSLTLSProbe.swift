import COpenSSL
import DBPKI
import Foundation

extension OpenSSLBackend: TLSProbing {
    /// A TLS client handshake with libssl over the probe's connection, verifying nothing
    /// (`SSL_VERIFY_NONE`, security level 0, so expired, self-signed and weak
    /// certificates are read as well), then the chain from `SSL_get_peer_cert_chain`.
    ///
    /// libssl reads and writes through ``ProbeBIO`` rather than a socket BIO: the
    /// connection's reads stop at the probe's deadline however slowly bytes arrive, and its
    /// writes pass `MSG_NOSIGNAL` where libssl's own socket BIO calls write(2), which raises
    /// SIGPIPE once the server has closed.
    public func presentedChain(over connection: TCPConnection, serverName: String?) throws -> [[UInt8]] {
        OpenSSLErrors.clear()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw OpenSSLErrors.error(.engine, "cannot create a TLS context")
        }
        defer { SSL_CTX_free(context) }
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        SSL_CTX_set_security_level(context, 0)
        _ = SSL_CTX_set_cipher_list(context, "ALL:@SECLEVEL=0")
        guard let session = SSL_new(context) else {
            throw OpenSSLErrors.error(.engine, "cannot create a TLS session")
        }
        defer { SSL_free(session) }
        return try withExtendedLifetime(connection) {
            guard let bio = ProbeBIO.make(over: connection) else {
                throw OpenSSLErrors.error(.engine, "cannot attach the connection")
            }
            // One reference, owned by the session from here on (freed by SSL_free).
            SSL_set_bio(session, bio, bio)
            if let serverName {
                // SSL_set_tlsext_host_name is a macro over SSL_ctrl.
                let ok = serverName.withCString {
                    SSL_ctrl(
                        session, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name),
                        UnsafeMutableRawPointer(mutating: $0))
                }
                guard ok == 1 else {
                    throw OpenSSLErrors.error(.invalidArgument, "cannot send server name '\(serverName)'")
                }
            }
            let result = SSL_connect(session)
            guard result == 1 else {
                let reason = SSL_get_error(session, result)
                // Bytes that never came (deadline, close, reset) are the cause, whatever libssl
                // makes of them; a protocol error stands unless the alert that follows cannot be sent.
                if let failure = connection.readFailure {
                    OpenSSLErrors.clear()
                    throw failure
                }
                if reason == SSL_ERROR_SSL { throw OpenSSLErrors.error(.invalidInput, "TLS handshake failed") }
                OpenSSLErrors.clear()
                throw connection.writeFailure ?? PKIError(.io, "TLS handshake failed: the connection was closed")
            }
            guard let stack = SSL_get_peer_cert_chain(session) else { return [] }
            var chain = [[UInt8]]()
            for index in 0..<dbpki_sk_X509_num(stack) {
                guard let certificate = dbpki_sk_X509_value(stack, index) else { continue }
                chain.append(try DERCoding.encode("presented certificate") { i2d_X509(certificate, $0) })
            }
            _ = SSL_shutdown(session)
            OpenSSLErrors.clear()
            return chain
        }
    }
}
