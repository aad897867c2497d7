import Foundation

/// A certificate subject as mongod reads it: the name of an x.509 user in `$external`,
/// and the O, OU and DC by which mongod tells a cluster member from a client.
///
/// mongod authenticates an x.509 client by comparing the user name to the subject of the
/// certificate the client presented, as a string it derives itself (mongodb/mongo,
/// `ssl_manager_openssl.cpp` `convertX509ToSSLX509Name` and `ssl_manager.cpp`
/// `SSLX509Name::toString`/`escapeRfc2253`). A user created under any other spelling of the
/// same name never authenticates, so dbpki derives the string the same way, from the DER:
///
/// - the attributes in reverse of their encoded order (most specific first), the RDNs
///   joined with `,` and the attributes of a multi-valued RDN with `+` (also reversed);
/// - each type by OpenSSL's short name (`CN`, `OU`, `O`, `DC`, `emailAddress`, ...);
/// - each string value prepared as mongod's `normalizeStrings` does (ICU's RFC 4518 LDAP
///   StringPrep profile: characters mapped to nothing or to a space, then NFKC);
/// - the value escaped as mongod's `escapeRfc2253`: `,+"\<>;` with a backslash, a leading
///   space or `#` with a backslash, every byte of a non-ASCII character as `\XX` (upper-case
///   hex of its UTF-8), and a trailing space as `\ ` only when the escaped value is longer
///   than two characters (so `O=a ` keeps a bare trailing space, unlike OpenSSL's
///   `-nameopt RFC2253`, which prints `O=a\ `).
///
/// For the names dbpki issues (CN, C, ST, L, O, OU, DC in UTF-8 or printable strings) this
/// equals `openssl x509 -noout -subject -nameopt RFC2253`, which mongod's documentation
/// tells users to run. A value mongod would read otherwise than as text (a BMPString or
/// UniversalString, whose bytes mongod takes for UTF-8, or a non-string value) is refused
/// rather than guessed at.
public struct MongoDBSubject: Hashable, Sendable {
    /// One attribute: its type and its prepared value (UTF-8 text).
    public struct Attribute: Hashable, Sendable, Comparable {
        /// The type OID in dotted form.
        public var oid: String
        /// The value after mongod's string preparation.
        public var value: String

        /// Makes an attribute.
        public init(oid: String, value: String) {
            self.oid = oid
            self.value = value
        }

        public static func < (lhs: Attribute, rhs: Attribute) -> Bool {
            (lhs.oid, lhs.value) < (rhs.oid, rhs.value)
        }
    }

    /// The RDNs in mongod's order (most specific first), each with its attributes in mongod's order.
    public var rdns: [[Attribute]]

    /// Makes a subject from RDNs already in mongod's order.
    public init(rdns: [[Attribute]]) { self.rdns = rdns }

    /// Reads the subject of a DER certificate as mongod does.
    public init(certificate der: [UInt8]) throws {
        var outer = DERReader(der[...])
        var certificate = DERReader(try outer.read(tag: 0x30).content)
        var fields = DERReader(try certificate.read(tag: 0x30).content)
        var next = try fields.read()
        if next.tag == 0xa0 { next = try fields.read() }  // version, then the serial number
        _ = try fields.read(tag: 0x30)  // signature algorithm
        _ = try fields.read(tag: 0x30)  // issuer
        _ = try fields.read(tag: 0x30)  // validity
        try self.init(name: Array(try fields.read(tag: 0x30).encoded))
    }

    /// Reads a DER `Name` as mongod does.
    public init(name der: [UInt8]) throws {
        var outer = DERReader(der[...])
        var name = DERReader(try outer.read(tag: 0x30).content)
        var encoded = [[Attribute]]()
        while !name.isAtEnd {
            var set = DERReader(try name.read(tag: 0x31).content)
            var rdn = [Attribute]()
            while !set.isAtEnd {
                var pair = DERReader(try set.read(tag: 0x30).content)
                let oid = DERReader.objectIdentifierText(Array(try pair.read(tag: 0x06).content))
                let value = try pair.read()
                guard pair.isAtEnd else { throw PKIError(.invalidInput, "certificate: bad name attribute") }
                rdn.append(Attribute(oid: oid, value: try Self.text(of: value, oid: oid)))
            }
            guard !rdn.isEmpty else { throw PKIError(.invalidInput, "certificate: empty RDN") }
            encoded.append(rdn)
        }
        rdns = encoded.reversed().map { $0.reversed() }
    }

    /// The user name mongod derives: `CN=app,OU=Apps,O=Acme`.
    public var userName: String {
        rdns.map { rdn in
            rdn.map { "\(Self.shortName($0.oid))=\(Self.escape($0.value))" }.joined(separator: "+")
        }.joined(separator: ",")
    }

    /// The O, OU and DC attributes, sorted: mongod takes a peer whose certificate has the same
    /// non-empty set as its own certificate for a cluster member (`canonicalizeClusterDN`).
    public var clusterIdentity: [Attribute] {
        rdns.joined().filter { Self.clusterTypes.contains($0.oid) }.sorted()
    }

    /// The O, OU and DC OIDs.
    public static let clusterTypes: Set<String> = ["2.5.4.10", "2.5.4.11", "0.9.2342.19200300.100.1.25"]

    /// mongod's `escapeRfc2253`, byte for byte (see the type's discussion).
    public static func escape(_ value: String) -> String {
        let bytes = Array(value.utf8)
        var out = [UInt8]()
        var index = 0
        if let first = bytes.first, first == 0x20 || first == 0x23 {
            out += [0x5c, first]
            index = 1
        }
        let specials: Set<UInt8> = Set(",+\"\\<>;".utf8)
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x80 {
                out.append(0x5c)
                out += Array(Hex.encode([byte]).uppercased().utf8)
            } else {
                if specials.contains(byte) { out.append(0x5c) }
                out.append(byte)
            }
            index += 1
        }
        if out.count > 2, out.last == 0x20 {
            out[out.count - 1] = 0x5c
            out.append(0x20)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// OpenSSL's short names (`OBJ_nid2sn`) for the attribute types mongod prints by name.
    static let shortNames: [String: String] = {
        var names: [String: String] = [
            "0.9.2342.19200300.100.1.1": "UID", "0.9.2342.19200300.100.1.25": "DC",
            "1.2.840.113549.1.9.1": "emailAddress", "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionL",
            "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST", "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC",
        ]
        let x509: [Int: String] = [
            3: "CN", 4: "SN", 5: "serialNumber", 6: "C", 7: "L", 8: "ST", 9: "street", 10: "O", 11: "OU",
            12: "title", 13: "description", 15: "businessCategory", 16: "postalAddress", 17: "postalCode",
            18: "postOfficeBox", 19: "physicalDeliveryOfficeName", 20: "telephoneNumber", 41: "name", 42: "GN",
            43: "initials", 44: "generationQualifier", 45: "x500UniqueIdentifier", 46: "dnQualifier",
            65: "pseudonym", 72: "role", 97: "organizationIdentifier",
        ]
        for (arc, name) in x509 { names["2.5.4.\(arc)"] = name }
        return names
    }()

    /// The short name mongod prints for `oid`.
    static func shortName(_ oid: String) -> String { shortNames[oid] ?? oid }

    /// The value as mongod holds it: the string's bytes, prepared; refuses what mongod
    /// would not read as text, and types it would print by a number dbpki cannot be sure of.
    private static func text(of element: DERReader.Element, oid: String) throws -> String {
        guard shortNames[oid] != nil else {
            throw PKIError(
                .unsupported,
                "the subject has an attribute of type \(oid), which mongod names by OpenSSL's table: give the client a subject of CN, O, OU, DC, C, ST and L"
            )
        }
        let type = shortName(oid)
        switch element.tag {
        case 0x0c, 0x13, 0x14, 0x16, 0x04:  // UTF8, Printable, Teletex, IA5 strings; OCTET STRING
            guard let text = String(validating: element.content, as: UTF8.self) else {
                throw PKIError(.invalidInput, "the subject's \(type) is not UTF-8, so mongod cannot name a user by it")
            }
            return try prepare(text, type: type)
        case 0x1a:  // VisibleString: mongod keeps its bytes as they are
            guard let text = String(validating: element.content, as: UTF8.self) else {
                throw PKIError(.invalidInput, "the subject's \(type) is not UTF-8, so mongod cannot name a user by it")
            }
            return text
        default:
            throw PKIError(
                .unsupported,
                "the subject's \(type) is not a UTF-8 or printable string (DER tag \(element.tag)): mongod would read its bytes as UTF-8"
            )
        }
    }

    /// ICU's RFC 4518 LDAP StringPrep (mongod's `icuX509DNPrep`): RFC 4518 section 2.2's
    /// mapping (controls and format characters to nothing, other spaces to SPACE), NFKC
    /// (section 2.3), and the prohibited characters of section 2.4 refused.
    static func prepare(_ value: String, type: String = "value") throws -> String {
        if value.isEmpty || value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return value }
        var mapped = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x09...0x0d, 0x85:
                mapped.append(" ")
            case 0x00...0x08, 0x0e...0x1f, 0x7f...0x84, 0x86...0x9f, 0xad, 0x34f, 0x1806, 0x180b...0x180e,
                0x200b...0x200f, 0x202a...0x202e, 0x2060...0x2063, 0xfe00...0xfe0f, 0xfeff, 0xfffc:
                continue
            case 0xfffd, 0xe000...0xf8ff, 0xf0000...0x10ffff:
                throw PKIError(
                    .invalidInput,
                    "the subject's \(type) holds U+\(String(scalar.value, radix: 16, uppercase: true)), which mongod refuses in a name"
                )
            default:
                if scalar.properties.generalCategory == .spaceSeparator {
                    mapped.append(" ")
                } else {
                    mapped.append(scalar)
                }
            }
        }
        return String(mapped).precomposedStringWithCompatibilityMapping
    }
}
