import CGnuTLS
import DBPKI

/// Turns GnuTLS return codes into ``PKIError``s with GnuTLS's own words.
enum GnuTLSError {
    /// GnuTLS's description of a (negative) return code.
    static func text(_ code: Int32) -> String {
        guard let message = gnutls_strerror(code) else { return "GnuTLS error \(code)" }
        return String(cString: message)
    }

    /// An error for a failed call.
    static func error(_ code: Int32, _ what: String, _ kind: PKIError.Code = .engine) -> PKIError {
        PKIError(kind, "\(what): \(text(code))")
    }

    /// Throws when `code` is negative; returns it otherwise.
    @discardableResult
    static func check(_ code: Int32, _ what: String, _ kind: PKIError.Code = .engine) throws -> Int32 {
        guard code >= 0 else { throw error(code, what, kind) }
        return code
    }
}
