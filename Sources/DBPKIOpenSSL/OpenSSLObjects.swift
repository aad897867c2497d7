import COpenSSL
import DBPKI
import Foundation

/// Owns one `EVP_PKEY`, freed when the owner goes away.
final class OpenSSLKey {
    /// The key; valid for the owner's lifetime.
    let pointer: OpaquePointer

    /// Takes ownership of a key.
    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }
}

/// Owns one `X509`, freed when the owner goes away.
final class OpenSSLCertificate {
    /// The certificate; valid for the owner's lifetime.
    let pointer: OpaquePointer

    /// Takes ownership of a certificate.
    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_free(pointer) }

    /// Decodes a DER certificate that must use every byte given.
    convenience init(der: [UInt8]) throws {
        let pointer = try DERCoding.decode(der, "certificate", d2i: { d2i_X509(nil, $0, $1) }, free: X509_free)
        self.init(pointer)
    }
}

/// Owns one `X509_CRL`, freed when the owner goes away.
final class OpenSSLCRLObject {
    /// The CRL; valid for the owner's lifetime.
    let pointer: OpaquePointer

    /// Takes ownership of a CRL.
    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_CRL_free(pointer) }

    /// Decodes a DER CRL that must use every byte given.
    convenience init(der: [UInt8]) throws {
        let pointer = try DERCoding.decode(der, "CRL", d2i: { d2i_X509_CRL(nil, $0, $1) }, free: X509_CRL_free)
        self.init(pointer)
    }
}

/// DER in and out of OpenSSL's `d2i_*` / `i2d_*` functions, and the few
/// ASN.1 values the engine builds or reads byte by byte.
enum DERCoding {
    /// Runs an `i2d_*` function twice (length, then bytes) and returns the encoding.
    static func encode(
        _ what: String, _ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
    ) throws -> [UInt8] {
        let length = i2d(nil)
        guard length > 0 else { throw OpenSSLErrors.error(.engine, "could not encode \(what)") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d(&cursor)
        }
        guard written == length else { throw OpenSSLErrors.error(.engine, "could not encode \(what)") }
        return bytes
    }

    /// Runs a `d2i_*` function over all of `der`; trailing bytes or a decoding failure throw `.invalidInput`.
    static func decode<Object>(
        _ der: [UInt8], _ what: String,
        d2i: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> Object?,
        free: (Object) -> Void
    ) throws -> Object {
        guard !der.isEmpty else { throw PKIError(.invalidInput, "empty \(what) DER") }
        OpenSSLErrors.clear()
        var consumed = 0
        let object = der.withUnsafeBufferPointer { buffer -> Object? in
            guard let start = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = start
            let object = d2i(&cursor, buffer.count)
            if let cursor { consumed = cursor - start }
            return object
        }
        guard let object else { throw OpenSSLErrors.error(.invalidInput, "invalid \(what) DER") }
        guard consumed == der.count else {
            free(object)
            OpenSSLErrors.clear()
            throw PKIError(.invalidInput, "\(der.count - consumed) trailing bytes after the \(what) DER")
        }
        return object
    }

    /// A new `ASN1_INTEGER` from INTEGER content octets (two's complement, as encoded); free it with
    /// `ASN1_INTEGER_free`.
    static func integer(contentOctets: [UInt8], _ what: String) throws -> UnsafeMutablePointer<ASN1_INTEGER> {
        guard !contentOctets.isEmpty else { throw PKIError(.invalidArgument, "empty \(what)") }
        let der = DERWriter.tlv(0x02, contentOctets)
        do {
            return try decode(der, what, d2i: { d2i_ASN1_INTEGER(nil, $0, $1) }, free: ASN1_INTEGER_free)
        } catch {
            throw PKIError(.invalidArgument, "\(what) is not a minimal DER INTEGER")
        }
    }

    /// The content octets of an INTEGER (or ENUMERATED) as DER encodes it: sign included,
    /// so a positive value with its top bit set starts with a zero byte.
    static func contentOctets(ofInteger integer: UnsafePointer<ASN1_INTEGER>, _ what: String) throws -> [UInt8] {
        let der = try encode(what) { i2d_ASN1_INTEGER(integer, $0) }
        var reader = DERReader(der[...])
        return Array(try reader.read().content)
    }

    /// OID text in dotted form.
    static func dottedOID(_ object: OpaquePointer?) -> String {
        guard let object else { return "" }
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        if length >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        }
        guard length > 0 else { return "" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A new `ASN1_OBJECT` for a dotted OID (never a name); free it with `ASN1_OBJECT_free`.
    static func object(dottedOID oid: String) throws -> OpaquePointer {
        let isDotted = !oid.isEmpty && oid.allSatisfy { $0 == "." || ($0.isASCII && $0.isNumber) }
        guard isDotted, let object = OBJ_txt2obj(oid, 1) else {
            OpenSSLErrors.clear()
            throw PKIError(.invalidArgument, "'\(oid)' is not a dotted OID")
        }
        return object
    }

    /// The bytes of an ASN1_STRING.
    static func bytes(of string: UnsafePointer<ASN1_STRING>?) -> [UInt8] {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return [] }
        let count = Int(ASN1_STRING_length(string))
        return count > 0 ? Array(UnsafeBufferPointer(start: data, count: count)) : []
    }

    /// A new `ASN1_STRING` of the given type holding `bytes`; free it with `ASN1_STRING_free`.
    static func string(type: Int32, bytes: [UInt8]) throws -> UnsafeMutablePointer<ASN1_STRING> {
        guard let string = ASN1_STRING_type_new(type) else { throw OpenSSLErrors.error(.engine, "out of memory") }
        let ok = bytes.withUnsafeBufferPointer { ASN1_STRING_set(string, $0.baseAddress, Int32($0.count)) }
        guard ok == 1 else {
            ASN1_STRING_free(string)
            throw OpenSSLErrors.error(.engine, "could not set an ASN.1 string")
        }
        return string
    }
}

/// Time conversions between `Date` and `ASN1_TIME`.
enum ASN1Time {
    /// A new `ASN1_TIME` for the date, to the second (UTCTime through 2049, GeneralizedTime after);
    /// free it with `ASN1_TIME_free`.
    static func make(_ date: Date) throws -> UnsafeMutablePointer<ASN1_TIME> {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite, abs(seconds) < 253_402_300_800 else {
            throw PKIError(.invalidArgument, "date \(date) is out of range")
        }
        guard let time = ASN1_TIME_set(nil, time_t(seconds)) else {
            throw OpenSSLErrors.error(.invalidArgument, "date \(date) cannot be encoded")
        }
        return time
    }

    /// The date an `ASN1_TIME` denotes.
    static func date(_ time: UnsafePointer<ASN1_TIME>?, _ what: String) throws -> Date {
        guard let time else { throw PKIError(.invalidInput, "missing \(what)") }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { throw OpenSSLErrors.error(.invalidInput, "invalid \(what)") }
        let days = UTCClock.daysFromCivil(
            year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
        let seconds = days * 86_400 + Int(parts.tm_hour) * 3600 + Int(parts.tm_min) * 60 + Int(parts.tm_sec)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
