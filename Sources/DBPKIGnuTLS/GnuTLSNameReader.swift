import CGnuTLS
import DBPKI

/// Reads distinguished names attribute by attribute and formats them with the
/// core's RFC 4514 formatter, so both engines print the same text.
enum GnuTLSNameReader {
    /// RFC 4514 text of a GnuTLS name.
    static func format(_ dn: gnutls_x509_dn_t) throws -> String {
        RFC4514.format(try rdns(of: dn))
    }

    /// RFC 4514 text of a name given as DER.
    static func format(der: [UInt8]) throws -> String {
        let dn = try GnuTLSNameHandle(der: der)
        return try format(dn.handle)
    }

    /// The RDNs in encoded order (most significant first), each with its attributes in encoded order.
    static func rdns(of dn: gnutls_x509_dn_t) throws -> [[RFC4514.AttributeValue]] {
        var result = [[RFC4514.AttributeValue]]()
        var rdnIndex: Int32 = 0
        while true {
            var rdn = [RFC4514.AttributeValue]()
            var avaIndex: Int32 = 0
            while true {
                var ava = gnutls_x509_ava_st()
                let code = gnutls_x509_dn_get_rdn_ava(dn, rdnIndex, avaIndex, &ava)
                if code == GNUTLS_E_ASN1_ELEMENT_NOT_FOUND || code == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE { break }
                try GnuTLSError.check(code, "cannot read a name attribute", .invalidInput)
                rdn.append(
                    RFC4514.AttributeValue(oid: GnuTLSDatum.string(GnuTLSDatum.copy(ava.oid)), value: value(of: ava)))
                avaIndex += 1
            }
            if rdn.isEmpty { break }
            result.append(rdn)
            rdnIndex += 1
        }
        // gnutls_x509_dn_get_rdn_ava counts RDNs in encoded order (checked by a test with C, O, OU, CN).
        return result
    }

    /// An attribute value: text for the string types, the whole DER element otherwise.
    private static func value(of ava: gnutls_x509_ava_st) -> RFC4514.Value {
        let bytes = GnuTLSDatum.copy(ava.value)
        switch ava.value_tag {
        case 12:  // UTF8String
            return .text(String(decoding: bytes, as: UTF8.self))
        case 19, 20, 22, 26:  // PrintableString, TeletexString, IA5String, VisibleString: one byte per character
            return .text(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })))
        case 30:  // BMPString, UTF-16BE
            var units = [UInt16]()
            for index in stride(from: 0, to: bytes.count - 1, by: 2) {
                units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
            }
            return .text(String(decoding: units, as: UTF16.self))
        case 28:  // UniversalString, UTF-32BE
            var scalars = String.UnicodeScalarView()
            for index in stride(from: 0, to: bytes.count - 3, by: 4) {
                let value =
                    UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8
                    | UInt32(bytes[index + 3])
                scalars.append(Unicode.Scalar(value) ?? "\u{fffd}")
            }
            return .text(String(scalars))
        default:
            // GnuTLS gives the tag number only; SEQUENCE and SET are the constructed universal types.
            let number = UInt8(truncatingIfNeeded: ava.value_tag)
            let identifier = number == 16 || number == 17 ? number | 0x20 : number
            return .der(DERWriter.tlv(identifier, bytes))
        }
    }
}

/// Owns one `gnutls_x509_dn_t` decoded from DER.
final class GnuTLSNameHandle {
    let handle: gnutls_x509_dn_t

    init(der: [UInt8]) throws {
        var dn: gnutls_x509_dn_t?
        try GnuTLSError.check(gnutls_x509_dn_init(&dn), "cannot create a name")
        guard let dn else { throw PKIError(.engine, "cannot create a name") }
        handle = dn
        let code = GnuTLSDatum.with(der) { gnutls_x509_dn_import(dn, $0) }
        try GnuTLSError.check(code, "cannot decode a name", .invalidInput)
    }

    deinit { gnutls_x509_dn_deinit(handle) }
}
