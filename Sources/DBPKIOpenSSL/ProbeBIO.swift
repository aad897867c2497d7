import COpenSSL
import DBPKI

/// A BIO that reads and writes through a ``TCPConnection``, so libssl's handshake I/O
/// honours the probe's deadline and never raises SIGPIPE.
///
/// Each call blocks until the connection has bytes, the deadline passes or the peer
/// fails; it never asks libssl to retry, so `SSL_connect` runs to its end in one call.
/// The BIO holds the connection unretained: the caller keeps it alive while the session
/// that owns the BIO lives.
enum ProbeBIO {
    /// A new BIO over `connection` (one reference, for `SSL_set_bio`), or nil when libssl
    /// cannot make one.
    static func make(over connection: TCPConnection) -> OpaquePointer? {
        guard let method = Method.shared.pointer, let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(connection).toOpaque())
        BIO_set_init(bio, 1)
        return bio
    }

    private static func connection(of bio: OpaquePointer?) -> TCPConnection? {
        guard let bio, let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<TCPConnection>.fromOpaque(data).takeUnretainedValue()
    }

    /// The method table, made once and never changed (it holds only the callbacks; each
    /// BIO's connection is its own data), so concurrent probes can share it.
    private final class Method: @unchecked Sendable {
        static let shared = Method()
        let pointer: OpaquePointer?

        private init() {
            let index = BIO_get_new_index()
            guard index > 0, let method = BIO_meth_new(index | BIO_TYPE_SOURCE_SINK, "dbpki probe connection") else {
                pointer = nil
                return
            }
            _ = BIO_meth_set_read(method) { bio, buffer, length in
                guard let connection = ProbeBIO.connection(of: bio), let buffer, length > 0 else { return -1 }
                return Int32(connection.receive(into: buffer, count: Int(length)))
            }
            _ = BIO_meth_set_write(method) { bio, bytes, length in
                guard let connection = ProbeBIO.connection(of: bio), let bytes, length > 0 else { return -1 }
                return Int32(connection.send(bytes, count: Int(length)))
            }
            _ = BIO_meth_set_ctrl(method) { _, command, _, _ in
                // libssl flushes after each flight and gives up if that fails; nothing is buffered here.
                command == BIO_CTRL_FLUSH ? 1 : 0
            }
            pointer = method
        }
    }
}
