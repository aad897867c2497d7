import COpenSSL
import DBPKI

/// Reads OpenSSL's thread-local error queue into error messages.
enum OpenSSLErrors {
    /// One queued OpenSSL error.
    struct Entry {
        /// The packed error code.
        var code: UInt
        /// OpenSSL's text for it.
        var text: String
        /// The reason part of the code: a number only within its ``library`` (EVP's 123 is an
        /// unsupported key length, ASN.1's 123 a header too long).
        var reason: Int32 { dbpki_ERR_GET_REASON(code) }
        /// The library part of the code, such as `ERR_LIB_EVP`.
        var library: Int32 { dbpki_ERR_GET_LIB(code) }
    }

    /// Empties the queue, so that a later failure reports only its own errors.
    static func clear() { ERR_clear_error() }

    /// Every queued error, oldest first; the queue is left empty.
    static func drainEntries() -> [Entry] {
        var entries = [Entry]()
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            entries.append(Entry(code: code, text: text(of: code)))
        }
        ERR_clear_error()
        return entries
    }

    /// Every queued error as OpenSSL's text, oldest first, joined by `; `; the queue is left empty.
    static func drain() -> String { describe(drainEntries()) }

    /// Entries as one line.
    static func describe(_ entries: [Entry]) -> String { entries.map(\.text).joined(separator: "; ") }

    /// One error code as text.
    static func text(of code: UInt) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A ``PKIError`` whose message is `what`, followed by whatever OpenSSL queued.
    static func error(_ code: PKIError.Code, _ what: String) -> PKIError {
        error(code, what, entries: drainEntries())
    }

    /// A ``PKIError`` whose message is `what`, followed by the given queued errors.
    static func error(_ code: PKIError.Code, _ what: String, entries: [Entry]) -> PKIError {
        let details = describe(entries)
        return PKIError(code, details.isEmpty ? what : "\(what) (\(details))")
    }
}
