import CGnuTLS
import DBPKI

/// The two steps every GnuTLS object handle shares: making an empty object with its
/// `*_init` function, and filling it from one DER encoding with its `*_import` function.
/// Each handle class still owns its one pointer and frees it in its own `deinit`.
enum GnuTLSObject {
    /// A new, empty object from `initialise` (such as `gnutls_x509_crt_init`); `what` names it
    /// in errors ("a certificate").
    static func make<Object>(_ what: String, _ initialise: (UnsafeMutablePointer<Object?>) -> Int32) throws -> Object {
        var object: Object?
        try GnuTLSError.check(initialise(&object), "cannot create \(what)")
        guard let object else { throw PKIError(.engine, "cannot create \(what)") }
        return object
    }

    /// Runs `load` (an `*_import` call) on `der`, refusing first anything but exactly one DER
    /// SEQUENCE when `singleSequence` (GnuTLS would otherwise ignore bytes after it).
    static func importDER(
        _ der: [UInt8], _ what: String, singleSequence: Bool = true,
        _ load: (UnsafePointer<gnutls_datum_t>) -> Int32
    ) throws {
        if singleSequence && !DERReader.isSingleSequence(der) {
            throw PKIError(.invalidInput, "not a DER \(what) (truncated, or bytes after it)")
        }
        try GnuTLSError.check(GnuTLSDatum.with(der, load), "cannot decode the \(what)", .invalidInput)
    }
}
