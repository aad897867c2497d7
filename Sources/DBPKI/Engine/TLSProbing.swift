/// An engine that can open a TLS connection and read the certificate chain a server
/// presents. Kept apart from ``PKIBackend`` because only `dbpki audit --probe` needs it.
///
/// The handshake does not verify anything: an audit wants to see expired, self-signed
/// and weak certificates too. The core opens the TCP connection (``TCPConnection``) and
/// owns its deadline; the engine only speaks TLS over it, through the connection's
/// ``TCPConnection/receive(into:count:)`` and ``TCPConnection/send(_:count:)`` rather than
/// the raw socket, so both engines stop at the same deadline and neither can raise SIGPIPE.
public protocol TLSProbing: Sendable {
    /// The DER certificates the server sent, leaf first, read from a TLS handshake over
    /// `connection`. `serverName` goes in the SNI extension when given. When the
    /// handshake fails for want of bytes, the connection's ``TCPConnection/readFailure``
    /// or ``TCPConnection/writeFailure`` is the error to throw (timed out, closed).
    func presentedChain(over connection: TCPConnection, serverName: String?) throws -> [[UInt8]]
}
