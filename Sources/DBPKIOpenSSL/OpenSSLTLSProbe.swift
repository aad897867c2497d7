import COpenSSL
import DBPKI
import Foundation

extension OpenSSLBackend: TLSProbing {
    /// A TLS client handshake with libssl on a connected socket, verifying nothing
    /// (`SSL_VERIFY_NONE`, security level 0, so expired, self-signed and weak
    /// certificates are read as well), then the chain from `SSL_get_peer_cert_chain`.
    public func presentedChain(socket: Int32, serverName: String?, deadline: Double) throws -> [[UInt8]] {
        OpenSSLErrors.clear()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw OpenSSLErrors.error(.engine, "cannot create a TLS context")
        }
        defer { SSL_CTX_free(context) }
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        SSL_CTX_set_security_level(context, 0)
        _ = SSL_CTX_set_cipher_list(context, "ALL:@SECLEVEL=0")
        guard let connection = SSL_new(context) else {
            throw OpenSSLErrors.error(.engine, "cannot create a TLS session")
        }
        defer { SSL_free(connection) }
        guard SSL_set_fd(connection, socket) == 1 else {
            throw OpenSSLErrors.error(.engine, "cannot attach the socket")
        }
        if let serverName {
            // SSL_set_tlsext_host_name is a macro over SSL_ctrl.
            let ok = serverName.withCString {
                SSL_ctrl(
                    connection, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name),
                    UnsafeMutableRawPointer(mutating: $0))
            }
            guard ok == 1 else {
                throw OpenSSLErrors.error(.invalidArgument, "cannot send server name '\(serverName)'")
            }
        }
        while true {
            let result = SSL_connect(connection)
            if result == 1 { break }
            let reason = SSL_get_error(connection, result)
            let retry = (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) && errno == EINTR
            if retry && Date().timeIntervalSince1970 < deadline { continue }
            let timedOut = errno == EAGAIN || errno == EWOULDBLOCK
            if reason == SSL_ERROR_SYSCALL || reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE {
                OpenSSLErrors.clear()
                throw PKIError(
                    .io, timedOut ? "TLS handshake timed out" : "TLS handshake failed: the connection was closed")
            }
            throw OpenSSLErrors.error(.invalidInput, "TLS handshake failed")
        }
        guard let stack = SSL_get_peer_cert_chain(connection) else { return [] }
        var chain = [[UInt8]]()
        for index in 0..<dbpki_sk_X509_num(stack) {
            guard let certificate = dbpki_sk_X509_value(stack, index) else { continue }
            chain.append(try DERCoding.encode("presented certificate") { i2d_X509(certificate, $0) })
        }
        _ = SSL_shutdown(connection)
        OpenSSLErrors.clear()
        return chain
    }
}
