/// An engine that can open a TLS connection and read the certificate chain a server
/// presents. Kept apart from ``PKIBackend`` because only `dbpki audit --probe` needs it.
///
/// The handshake does not verify anything: an audit wants to see expired, self-signed
/// and weak certificates too. The core opens the TCP connection (``TCPConnection``) so
/// both engines share the same connect timeout; the engine only speaks TLS on it.
public protocol TLSProbing: Sendable {
    /// The DER certificates the server sent, leaf first, read from a TLS handshake
    /// on an open, connected socket. `serverName` goes in the SNI extension when
    /// given. The socket has send and receive timeouts set; the engine also stops at
    /// `deadline` (seconds since 1970). The caller closes the socket.
    func presentedChain(socket: Int32, serverName: String?, deadline: Double) throws -> [[UInt8]]
}
