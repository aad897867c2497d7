import Foundation

/// Reads the fields an audit needs straight from certificate DER, in Swift, so an audit of
/// 100,000 certificates does not pay for a full engine parse of each one.
///
/// It decodes exactly what ``CertificateInfo`` reports and formats names with the same
/// ``RFC4514`` formatter the engines use, so its answers equal both engines'
/// `parseCertificate` (held equal by tests on every test certificate). Anything unusual
/// (a non-RFC 5280 time, explicit EC parameters, a repeated extension, trailing bytes)
/// throws, and the caller asks an engine instead: the fast path never guesses.
public enum CertificateFieldReader {
    /// Reads one DER certificate; every byte must belong to it.
    public static func read(der: [UInt8]) throws -> CertificateFields {
        var outer = DERReader(der[...])
        let certificate = try outer.read(tag: 0x30)
        guard outer.isAtEnd else { throw bad("trailing bytes after the certificate") }
        var parts = DERReader(certificate.content)
        let tbs = try parts.read(tag: 0x30)
        let signatureAlgorithm = try algorithmOID(try parts.read(tag: 0x30))
        _ = try parts.read(tag: 0x03)
        guard parts.isAtEnd else { throw bad("extra fields after the signature") }

        var fields = DERReader(tbs.content)
        var next = try fields.read()
        var version = 1
        if next.tag == 0xa0 {
            var explicit = DERReader(next.content)
            let number = try explicit.read(tag: 0x02)
            guard explicit.isAtEnd, number.content.count == 1, number.content.first! <= 2 else {
                throw bad("unsupported version")
            }
            version = Int(number.content.first!) + 1
            next = try fields.read()
        }
        guard next.tag == 0x02, !next.content.isEmpty else { throw bad("bad serial number") }
        let serial = Array(next.content)
        _ = try fields.read(tag: 0x30)  // inner signature AlgorithmIdentifier
        let issuer = try name(try fields.read(tag: 0x30))
        var validity = DERReader(try fields.read(tag: 0x30).content)
        let notBefore = try time(try validity.read())
        let notAfter = try time(try validity.read())
        guard validity.isAtEnd else { throw bad("bad validity") }
        let subject = try name(try fields.read(tag: 0x30))
        let publicKey = try describeKey(try fields.read(tag: 0x30))

        var result = CertificateFields(
            version: version, subject: subject, issuer: issuer, serialNumber: serial,
            notBefore: Date(timeIntervalSince1970: TimeInterval(notBefore)),
            notAfter: Date(timeIntervalSince1970: TimeInterval(notAfter)), publicKey: publicKey,
            signatureAlgorithmOID: signatureAlgorithm, subjectAlternativeNames: [], isCA: false,
            pathLengthConstraint: nil, keyUsage: nil, extendedKeyUsage: nil, subjectKeyIdentifier: nil,
            authorityKeyIdentifier: nil, extensions: [])
        while !fields.isAtEnd {
            let element = try fields.read()
            switch element.tag {
            case 0x81, 0x82: continue  // issuerUniqueID, subjectUniqueID
            case 0xa3:
                guard version == 3 else { throw bad("extensions in a version \(version) certificate") }
                var explicit = DERReader(element.content)
                let list = try explicit.read(tag: 0x30)
                guard explicit.isAtEnd else { throw bad("bad extensions") }
                try readExtensions(list.content, into: &result)
                guard fields.isAtEnd else { throw bad("fields after the extensions") }
            default:
                throw bad("unexpected field in the certificate")
            }
        }
        return result
    }

    /// The SubjectPublicKeyInfo DER of a certificate, exactly as encoded: what renewing a
    /// certificate whose key dbpki does not hold (a signed request's) certifies again.
    public static func subjectPublicKeyInfo(ofCertificate der: [UInt8]) throws -> [UInt8] {
        var outer = DERReader(der[...])
        var parts = DERReader(try outer.read(tag: 0x30).content)
        var fields = DERReader(try parts.read(tag: 0x30).content)
        var next = try fields.read()
        if next.tag == 0xa0 { next = try fields.read() }  // version, then the serial
        for _ in 0..<4 { _ = try fields.read(tag: 0x30) }  // signature, issuer, validity, subject
        return Array(try fields.read(tag: 0x30).encoded)
    }

    // MARK: - Pieces

    private static func bad(_ what: String) -> PKIError { PKIError(.invalidInput, "certificate: \(what)") }

    static func oidText(_ content: ArraySlice<UInt8>) throws -> String {
        guard !content.isEmpty, content.last! & 0x80 == 0 else { throw bad("bad OBJECT IDENTIFIER") }
        let bytes = Array(content)
        return commonOIDs[bytes] ?? DERReader.objectIdentifierText(bytes)
    }

    /// OIDs met in nearly every certificate (name attributes, signature algorithms, purposes),
    /// looked up instead of converted: the conversion is a good part of reading a certificate.
    private static let commonOIDs: [[UInt8]: String] = {
        let dotted = [
            "2.5.4.3", "2.5.4.6", "2.5.4.7", "2.5.4.8", "2.5.4.10", "2.5.4.11", "2.5.4.5", "2.5.4.9",
            "1.2.840.113549.1.9.1", "0.9.2342.19200300.100.1.25", "1.2.840.113549.1.1.5", "1.2.840.113549.1.1.11",
            "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3",
            "1.2.840.10045.4.3.4", "1.3.101.112", "1.3.101.113", "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2",
            "1.3.6.1.5.5.7.1.1", "2.5.29.31", "2.5.29.32", "2.5.29.30", "2.5.29.36",
        ]
        var table = [[UInt8]: String]()
        for oid in dotted {
            let arcs = oid.split(separator: ".").map { UInt64($0)! }
            var bytes = base128(arcs[0] * 40 + arcs[1])
            for arc in arcs.dropFirst(2) { bytes += base128(arc) }
            table[bytes] = oid
        }
        return table
    }()

    private static func base128(_ value: UInt64) -> [UInt8] {
        var out = [UInt8(value & 0x7f)]
        var rest = value >> 7
        while rest > 0 {
            out.insert(UInt8(rest & 0x7f) | 0x80, at: 0)
            rest >>= 7
        }
        return out
    }

    private static func algorithmOID(_ sequence: DERReader.Element) throws -> String {
        var reader = DERReader(sequence.content)
        return try oidText(try reader.read(tag: 0x06).content)
    }

    private static func time(_ element: DERReader.Element) throws -> Int64 {
        guard let seconds = UTCClock.seconds(tag: element.tag, element.content) else {
            throw bad("time not in RFC 5280 form")
        }
        return seconds
    }

    /// A Name as RFC 4514 text; attribute values decoded as the engines decode them.
    private static func name(_ sequence: DERReader.Element) throws -> String {
        var rdns = [[RFC4514.AttributeValue]]()
        var reader = DERReader(sequence.content)
        while !reader.isAtEnd {
            var set = DERReader(try reader.read(tag: 0x31).content)
            var rdn = [RFC4514.AttributeValue]()
            while !set.isAtEnd {
                var attribute = DERReader(try set.read(tag: 0x30).content)
                let oid = try oidText(try attribute.read(tag: 0x06).content)
                let value = try attribute.read()
                guard attribute.isAtEnd else { throw bad("bad name attribute") }
                rdn.append(RFC4514.AttributeValue(oid: oid, value: attributeValue(value)))
            }
            guard !rdn.isEmpty else { throw bad("empty RDN") }
            rdns.append(rdn)
        }
        return RFC4514.format(rdns)
    }

    /// Text for the string types, the whole element otherwise (as both engines report values).
    static func attributeValue(_ element: DERReader.Element) -> RFC4514.Value {
        let bytes = element.content
        switch element.tag {
        case 0x0c:  // UTF8String
            guard let text = String(validating: bytes, as: UTF8.self) else { return .der(Array(element.encoded)) }
            return .text(text)
        case 0x13, 0x14, 0x16, 0x1a:  // Printable, Teletex, IA5, Visible: one byte per character
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            return .text(String(scalars))
        case 0x1e:  // BMPString, UTF-16BE
            guard bytes.count % 2 == 0 else { return .der(Array(element.encoded)) }
            var units = [UInt16]()
            var index = bytes.startIndex
            while index < bytes.endIndex {
                units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
                index += 2
            }
            return .text(String(decoding: units, as: UTF16.self))
        case 0x1c:  // UniversalString, UTF-32BE
            guard bytes.count % 4 == 0 else { return .der(Array(element.encoded)) }
            var scalars = String.UnicodeScalarView()
            var index = bytes.startIndex
            while index < bytes.endIndex {
                let value =
                    UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8
                    | UInt32(bytes[index + 3])
                guard let scalar = Unicode.Scalar(value) else { return .der(Array(element.encoded)) }
                scalars.append(scalar)
                index += 4
            }
            return .text(String(scalars))
        default:
            return .der(Array(element.encoded))
        }
    }

    private static let rsa: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]
    private static let rsaPSS: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a]
    private static let ecPublicKey: [UInt8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]
    private static let dsa: [UInt8] = [0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01]
    private static let ed25519: [UInt8] = [0x2b, 0x65, 0x70]
    private static let ed448: [UInt8] = [0x2b, 0x65, 0x71]

    /// Named curves: OID content octets to (name, bits). P-192 and P-224 are named as GnuTLS names them.
    private static let curves: [[UInt8]: (name: String, bits: Int)] = [
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]: ("P-256", 256),
        [0x2b, 0x81, 0x04, 0x00, 0x22]: ("P-384", 384),
        [0x2b, 0x81, 0x04, 0x00, 0x23]: ("P-521", 521),
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x01]: ("P-192", 192),
        [0x2b, 0x81, 0x04, 0x00, 0x21]: ("P-224", 224),
    ]

    /// The key's algorithm and size from a SubjectPublicKeyInfo.
    private static func describeKey(_ spki: DERReader.Element) throws -> PublicKeyDescription {
        var reader = DERReader(spki.content)
        var algorithm = DERReader(try reader.read(tag: 0x30).content)
        let oid = try algorithm.read(tag: 0x06).content
        let parameters = algorithm.isAtEnd ? nil : try algorithm.read()
        let bitString = try reader.read(tag: 0x03)
        guard reader.isAtEnd, bitString.content.first == 0 else { throw bad("bad subjectPublicKey") }
        let key = bitString.content.dropFirst()
        if oid.elementsEqual(rsa) || oid.elementsEqual(rsaPSS) {
            var outer = DERReader(key)
            var sequence = DERReader(try outer.read(tag: 0x30).content)
            let modulus = try sequence.read(tag: 0x02)
            _ = try sequence.read(tag: 0x02)
            guard outer.isAtEnd, sequence.isAtEnd else { throw bad("bad RSA key") }
            let bits = bitLength(modulus.content)
            if oid.elementsEqual(rsa) { return PublicKeyDescription(algorithm: .rsa, bits: bits, curve: nil) }
            return PublicKeyDescription(algorithm: .init(name: "1.2.840.113549.1.1.10"), bits: bits, curve: nil)
        }
        if oid.elementsEqual(ecPublicKey) {
            guard let parameters, parameters.tag == 0x06, let curve = curves[Array(parameters.content)] else {
                throw bad("EC key on a curve the fast reader does not name")
            }
            return PublicKeyDescription(algorithm: .ec, bits: curve.bits, curve: curve.name)
        }
        if oid.elementsEqual(ed25519) { return PublicKeyDescription(algorithm: .ed25519, bits: 256, curve: nil) }
        if oid.elementsEqual(ed448) { return PublicKeyDescription(algorithm: .ed448, bits: 448, curve: nil) }
        if oid.elementsEqual(dsa) {
            guard let parameters, parameters.tag == 0x30 else { throw bad("DSA key without parameters") }
            var values = DERReader(parameters.content)
            let prime = try values.read(tag: 0x02)
            return PublicKeyDescription(algorithm: .dsa, bits: bitLength(prime.content), curve: nil)
        }
        throw bad("public key algorithm the fast reader does not know")
    }

    /// The number of significant bits of a non-negative INTEGER's content octets.
    private static func bitLength(_ content: ArraySlice<UInt8>) -> Int {
        guard let first = content.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (content.endIndex - first - 1) * 8 + (8 - content[first].leadingZeroBitCount)
    }

    // MARK: - Extensions

    private static let extensionOIDs: [[UInt8]: String] = [
        [0x55, 0x1d, 0x11]: CertificateExtension.subjectAltName,
        [0x55, 0x1d, 0x13]: CertificateExtension.basicConstraints,
        [0x55, 0x1d, 0x0f]: CertificateExtension.keyUsage,
        [0x55, 0x1d, 0x25]: CertificateExtension.extendedKeyUsage,
        [0x55, 0x1d, 0x0e]: CertificateExtension.subjectKeyIdentifier,
        [0x55, 0x1d, 0x23]: CertificateExtension.authorityKeyIdentifier,
    ]

    private static func readExtensions(_ content: ArraySlice<UInt8>, into fields: inout CertificateFields) throws {
        var reader = DERReader(content)
        var seen = Set<String>()
        while !reader.isAtEnd {
            var item = DERReader(try reader.read(tag: 0x30).content)
            let oidContent = try item.read(tag: 0x06).content
            let oid = try extensionOIDs[Array(oidContent)] ?? oidText(oidContent)
            var next = try item.read()
            var critical = false
            if next.tag == 0x01 {
                guard next.content.count == 1 else { throw bad("bad critical flag") }
                critical = next.content.first! != 0
                next = try item.read()
            }
            guard next.tag == 0x04, item.isAtEnd else { throw bad("bad extension") }
            guard seen.insert(oid).inserted else { throw bad("extension \(oid) appears twice") }
            fields.extensions.append(CertificateExtension(oid: oid, critical: critical))
            let value = next.content
            switch oid {
            case CertificateExtension.subjectAltName: fields.subjectAlternativeNames = try generalNames(value)
            case CertificateExtension.basicConstraints: try basicConstraints(value, into: &fields)
            case CertificateExtension.keyUsage: fields.keyUsage = try keyUsage(value)
            case CertificateExtension.extendedKeyUsage: fields.extendedKeyUsage = try extendedKeyUsage(value)
            case CertificateExtension.subjectKeyIdentifier:
                var octets = DERReader(value)
                fields.subjectKeyIdentifier = Array(try octets.read(tag: 0x04).content)
                guard octets.isAtEnd else { throw bad("bad subjectKeyIdentifier") }
            case CertificateExtension.authorityKeyIdentifier:
                var outer = DERReader(value)
                var sequence = DERReader(try outer.read(tag: 0x30).content)
                guard outer.isAtEnd else { throw bad("bad authorityKeyIdentifier") }
                while !sequence.isAtEnd {
                    let part = try sequence.read()
                    if part.tag == 0x80 { fields.authorityKeyIdentifier = Array(part.content) }
                }
            default: break
            }
        }
    }

    private static func generalNames(_ value: ArraySlice<UInt8>) throws -> [SubjectAlternativeName] {
        var outer = DERReader(value)
        var reader = DERReader(try outer.read(tag: 0x30).content)
        guard outer.isAtEnd else { throw bad("bad subjectAltName") }
        var names = [SubjectAlternativeName]()
        while !reader.isAtEnd {
            let name = try reader.read()
            guard name.tag & 0xc0 == 0x80 else { throw bad("bad GeneralName") }
            let number = Int(name.tag & 0x1f)
            let text = { String(decoding: name.content, as: UTF8.self) }
            switch (name.tag, number) {
            case (0x81, _): names.append(.email(text()))
            case (0x82, _): names.append(.dns(text()))
            case (0x86, _): names.append(.uri(text()))
            case (0x87, _): names.append(IPAddress(bytes: Array(name.content)).map { .ip($0) } ?? .other(tag: 7))
            case (0xa0, _), (0xa4, _), (0x88, _): names.append(.other(tag: number))
            default: throw bad("GeneralName the fast reader does not report")
            }
        }
        return names
    }

    private static func basicConstraints(_ value: ArraySlice<UInt8>, into fields: inout CertificateFields) throws {
        var outer = DERReader(value)
        var reader = DERReader(try outer.read(tag: 0x30).content)
        guard outer.isAtEnd else { throw bad("bad basicConstraints") }
        var isCA = false
        var pathLength: Int?
        while !reader.isAtEnd {
            let part = try reader.read()
            switch part.tag {
            case 0x01:
                guard part.content.count == 1 else { throw bad("bad basicConstraints") }
                isCA = part.content.first! != 0
            case 0x02:
                guard part.content.count <= 4, let first = part.content.first, first & 0x80 == 0 else {
                    throw bad("pathLenConstraint out of range")
                }
                pathLength = part.content.reduce(0) { $0 << 8 | Int($1) }
            default: throw bad("bad basicConstraints")
            }
        }
        fields.isCA = isCA
        // Both engines report a path length only for a CA.
        fields.pathLengthConstraint = isCA ? pathLength : nil
    }

    private static func keyUsage(_ value: ArraySlice<UInt8>) throws -> KeyUsage {
        var outer = DERReader(value)
        let bits = try outer.read(tag: 0x03)
        guard outer.isAtEnd, let unused = bits.content.first, unused < 8 else { throw bad("bad keyUsage") }
        var usage = KeyUsage()
        for (offset, byte) in bits.content.dropFirst().prefix(2).enumerated() {
            for bit in 0..<8 where byte & (0x80 >> bit) != 0 {
                let number = offset * 8 + bit
                if number < 9 { usage.insert(KeyUsage(rawValue: 1 << number)) }
            }
        }
        return usage
    }

    private static func extendedKeyUsage(_ value: ArraySlice<UInt8>) throws -> [String] {
        var outer = DERReader(value)
        var reader = DERReader(try outer.read(tag: 0x30).content)
        guard outer.isAtEnd else { throw bad("bad extendedKeyUsage") }
        var oids = [String]()
        while !reader.isAtEnd { oids.append(try oidText(try reader.read(tag: 0x06).content)) }
        return oids
    }
}
