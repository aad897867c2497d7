import DBPKI

/// Looks inside a certificate's DER where the parsed form hides how a field was written (string
/// types, time encodings, criticality, the issuer name's exact bytes).
public enum CertificateBytes {
    /// The tbsCertificate's fields in order; for a version 3 certificate: [0] version, serial,
    /// signature algorithm, issuer, validity, subject, subjectPublicKeyInfo, then the optional ones.
    public static func tbsFields(_ der: [UInt8]) throws -> [DERReader.Element] {
        var outer = DERReader(der[...])
        var certificate = DERReader(try outer.read(tag: 0x30).content)
        var tbs = DERReader(try certificate.read(tag: 0x30).content)
        var fields = [DERReader.Element]()
        while !tbs.isAtEnd { fields.append(try tbs.read()) }
        return fields
    }

    /// The issuer and subject Name of a version 3 certificate, each as its whole DER encoding.
    public static func names(_ der: [UInt8]) throws -> (issuer: [UInt8], subject: [UInt8]) {
        let fields = try tbsFields(der)
        return (Array(fields[3].encoded), Array(fields[5].encoded))
    }

    /// True when `needle` occurs in `haystack`.
    public static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        return (0...(haystack.count - needle.count)).contains {
            haystack[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }

    /// The offset of the first occurrence of `needle` in `haystack`, if any.
    public static func offset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
