import CGnuTLS
import DBPKI

/// Moving bytes in and out of `gnutls_datum_t`.
enum GnuTLSDatum {
    /// Calls `body` with a datum over a copy of `bytes`, valid only during the call.
    static func with<R>(_ bytes: [UInt8], _ body: (UnsafePointer<gnutls_datum_t>) throws -> R) rethrows -> R {
        var copy = bytes
        return try copy.withUnsafeMutableBufferPointer { buffer in
            var datum = gnutls_datum_t(data: buffer.baseAddress, size: UInt32(buffer.count))
            return try withUnsafePointer(to: &datum) { try body($0) }
        }
    }

    /// Copies the bytes of a datum GnuTLS allocated, then frees it.
    static func take(_ datum: inout gnutls_datum_t) -> [UInt8] {
        defer {
            dbpki_gnutls_free(datum.data)
            datum.data = nil
            datum.size = 0
        }
        guard let data = datum.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(datum.size)))
    }

    /// Copies the bytes of a datum that points into memory GnuTLS keeps (not freed).
    static func copy(_ datum: gnutls_datum_t) -> [UInt8] {
        guard let data = datum.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(datum.size)))
    }

    /// Calls a GnuTLS getter that fills an allocated datum, and returns its bytes.
    static func allocated(_ what: String, _ call: (UnsafeMutablePointer<gnutls_datum_t>) -> Int32) throws -> [UInt8] {
        var datum = gnutls_datum_t()
        let code = call(&datum)
        guard code >= 0 else {
            dbpki_gnutls_free(datum.data)
            throw GnuTLSError.error(code, what)
        }
        return take(&datum)
    }

    /// Calls a GnuTLS getter of the `(buffer, &size)` kind, growing the buffer as asked.
    /// Returns nil when GnuTLS says the data is not there.
    static func sized(
        _ what: String, _ call: (UnsafeMutableRawPointer, UnsafeMutablePointer<Int>) -> Int32
    ) throws -> [UInt8]? {
        var capacity = 256
        for _ in 0..<4 {
            var buffer = [UInt8](repeating: 0, count: capacity)
            var size = capacity
            let code = buffer.withUnsafeMutableBytes { raw -> Int32 in
                guard let base = raw.baseAddress else { return GNUTLS_E_MEMORY_ERROR }
                return call(base, &size)
            }
            if code == GNUTLS_E_SHORT_MEMORY_BUFFER, size > capacity {
                capacity = size
                continue
            }
            if code == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE { return nil }
            try GnuTLSError.check(code, what, .invalidInput)
            return Array(buffer.prefix(min(size, capacity)))
        }
        throw PKIError(.engine, "\(what): buffer kept growing")
    }

    /// A NUL-terminated C string from a `sized` result (drops the terminator and anything after it).
    static func string(_ bytes: [UInt8]) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
