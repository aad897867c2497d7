/// The issuer and subject names must be encoded as their string types say (RFC 5280
/// 4.1.2.4, X.520): a UTF8String valid UTF-8, an IA5String ASCII, a BMPString whole UTF-16
/// code units, and no NUL byte inside a text string. (PrintableString's narrow character set
/// is not enforced: public CAs have written `&` and `*` into it for decades.) Engines differ here (OpenSSL refuses
/// to decode a certificate with an invalid UTF8String, GnuTLS accepts it and shows
/// replacement characters), so the core reads the names from the DER itself and rejects
/// a certificate whose name no two programs would read alike. Trust anchors are exempt, as
/// configured trust.
public struct NameEncodingRule: PathRule {
    public static let id = "name-encoding"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        path.belowTrustAnchor.compactMap { depth, certificate in
            guard let problem = Self.problem(inCertificate: certificate.der) else { return nil }
            return failure(.malformed, "\(certificate.subject): \(problem)", depth: depth)
        }
    }

    /// What is wrong with the encoding of the certificate's issuer or subject, or nil.
    static func problem(inCertificate der: [UInt8]) -> String? {
        do {
            var outer = DERReader(der[...])
            var certificate = DERReader(try outer.read(tag: 0x30).content)
            var tbs = DERReader(try certificate.read(tag: 0x30).content)
            if try tbs.read().tag == 0xa0 { _ = try tbs.read() }  // [0] version, then the serial
            _ = try tbs.read(tag: 0x30)  // signature AlgorithmIdentifier
            let issuer = try tbs.read(tag: 0x30)
            _ = try tbs.read(tag: 0x30)  // validity
            let subject = try tbs.read(tag: 0x30)
            for (which, name) in [("issuer", issuer), ("subject", subject)] {
                if let problem = try problem(inName: name.content) { return "the \(which) name \(problem)" }
            }
            return nil
        } catch {
            return "its names cannot be read: \(error)"
        }
    }

    /// Walks Name ::= SEQUENCE OF SET OF AttributeTypeAndValue and checks every string value.
    private static func problem(inName content: ArraySlice<UInt8>) throws -> String? {
        var rdns = DERReader(content)
        while !rdns.isAtEnd {
            var attributes = DERReader(try rdns.read(tag: 0x31).content)
            while !attributes.isAtEnd {
                var attribute = DERReader(try attributes.read(tag: 0x30).content)
                _ = try attribute.read(tag: 0x06)
                let value = try attribute.read()
                if let problem = problem(inString: value.tag, Array(value.content)) { return problem }
            }
        }
        return nil
    }

    private static func problem(inString tag: UInt8, _ bytes: [UInt8]) -> String? {
        switch tag {
        case 0x0c:  // UTF8String
            if String(validating: bytes, as: UTF8.self) == nil { return "has a UTF8String that is not valid UTF-8" }
        case 0x16:  // IA5String
            if !bytes.allSatisfy({ $0 < 0x80 }) { return "has an IA5String that is not ASCII" }
        case 0x1e:  // BMPString
            if bytes.count % 2 != 0 { return "has a BMPString of an odd length" }
        case 0x1c:  // UniversalString
            if bytes.count % 4 != 0 { return "has a UniversalString whose length is not a multiple of 4" }
        default: break
        }
        if tag == 0x0c || tag == 0x13 || tag == 0x16, bytes.contains(0) { return "has a NUL byte in a string" }
        return nil
    }
}
