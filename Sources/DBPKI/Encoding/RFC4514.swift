/// RFC 4514 text for distinguished names, produced once in the core from the
/// attribute values an engine extracts, so both engines print names identically.
public enum RFC4514 {
    /// One attribute value as an engine found it.
    public enum Value: Sendable, Hashable {
        /// A string type (UTF8String, PrintableString, IA5String, BMPString, ...), as UTF-8 text.
        case text(String)
        /// Anything else, as the DER of the whole value (printed `#hex`).
        case der([UInt8])
    }

    /// One attribute type and value.
    public struct AttributeValue: Sendable, Hashable {
        /// The attribute type OID in dotted form.
        public var oid: String
        /// The value.
        public var value: Value
        /// Makes an attribute value.
        public init(oid: String, value: Value) {
            self.oid = oid
            self.value = value
        }
    }

    /// Short names printed instead of the OID (RFC 4514 section 3, plus ones OpenSSL and GnuTLS both know).
    public static let shortNames: [String: String] = [
        "2.5.4.3": "CN", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C",
        "2.5.4.9": "STREET", "0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
        "2.5.4.5": "serialNumber", "1.2.840.113549.1.9.1": "emailAddress", "2.5.4.4": "SN", "2.5.4.42": "GN",
        "2.5.4.12": "title", "2.5.4.17": "postalCode",
    ]

    /// Formats a name given as RDNs in encoded order (most significant first).
    /// The output lists the RDNs in reverse (RFC 4514 section 2.1), joins the
    /// attributes of a multi-valued RDN with `+`, and escapes per section 2.4
    /// without escaping non-ASCII UTF-8.
    public static func format(_ rdns: [[AttributeValue]]) -> String {
        rdns.reversed().map { rdn in
            rdn.map { attribute in
                let type = shortNames[attribute.oid] ?? attribute.oid
                switch attribute.value {
                case .text(let text): return "\(type)=\(escape(text))"
                case .der(let der): return "\(type)=#\(Hex.encode(der))"
                }
            }.joined(separator: "+")
        }.joined(separator: ",")
    }

    /// `"`, `+`, `,`, `;`, `<`, `>` and `\`, which are escaped wherever they appear.
    private static let specials: Set<UInt8> = [0x22, 0x2b, 0x2c, 0x3b, 0x3c, 0x3e, 0x5c]

    /// Escapes one attribute value per RFC 4514 section 2.4.
    public static func escape(_ value: String) -> String {
        // Fast path for the usual value with nothing to escape (the loop below rebuilds the string).
        let utf8 = value.utf8
        if let first = utf8.first, let last = utf8.last, first != 0x23, first != 0x20, last != 0x20,
            !utf8.contains(where: { $0 < 0x20 || $0 == 0x7f || Self.specials.contains($0) })
        {
            return value
        }
        var out = ""
        let scalars = Array(value.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\"", "+", ",", ";", "<", ">", "\\":
                out += "\\" + String(scalar)
            case "#" where index == 0, " " where index == 0 || index == scalars.count - 1:
                out += "\\" + String(scalar)
            case "\0"..."\u{1f}", "\u{7f}":
                out += "\\" + Hex.encode([UInt8(scalar.value)])
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension RFC4514 {
    /// The attribute types `--subject` accepts, by short name: those of an organisation's
    /// name (RFC 4519). CN is not among them: a certificate's common name is its NAME.
    public static let subjectTypes: [String: String] = [
        "C": "2.5.4.6", "ST": "2.5.4.8", "L": "2.5.4.7", "O": "2.5.4.10", "OU": "2.5.4.11",
        "DC": "0.9.2342.19200300.100.1.25",
    ]

    /// Parses `--subject` text such as `O=Acme,OU=Databases,C=DE` into the attributes to put
    /// before the CN, **in the order written** (the order a user reads them, and the order
    /// they are encoded: the string is not reversed as RFC 4514 strings of whole names are).
    /// Values take the RFC 4514 escapes (`\,` `\+` `\"` `\\` `\<` `\>` `\;` `\=`, `\#` and
    /// `\ ` for a leading `#` or leading/trailing space, `\XX` hex pairs of UTF-8); unescaped
    /// spaces around types and values are dropped. Refused: types other than C, ST, L, O, OU
    /// and DC (CN among them), multi-valued RDNs (`+`), `#hex` values, and empty values.
    public static func parse(_ text: String) throws -> DistinguishedName {
        var attributes = [DistinguishedName.Attribute]()
        for (type, value) in try split(text) {
            guard let oid = subjectTypes[type.uppercased()] else {
                let shown = TextEscaping.printable(type, limit: 32)
                if type.uppercased() == "CN" || type == "2.5.4.3" {
                    throw PKIError(
                        .invalidArgument, "the subject cannot hold a CN: the common name is the certificate's name")
                }
                throw PKIError(
                    .invalidArgument, "unknown attribute type '\(shown)' in the subject: use C, ST, L, O, OU or DC")
            }
            attributes.append(DistinguishedName.Attribute(oid: oid, value: value))
        }
        let name = DistinguishedName(attributes)
        try name.validate()
        return name
    }

    /// Parses a whole name as RFC 4514 prints it (most specific first) into its attributes in
    /// encoded order, knowing every short name of `shortNames`; nil for what it cannot read
    /// (multi-valued RDNs, `#hex` values, OIDs), whose callers fall back to the common name.
    public static func parseName(_ text: String) -> DistinguishedName? {
        let oids = Dictionary(shortNames.map { ($0.value.uppercased(), $0.key) }, uniquingKeysWith: { a, _ in a })
        guard let pairs = try? split(text) else { return nil }
        var attributes = [DistinguishedName.Attribute]()
        for (type, value) in pairs.reversed() {
            guard let oid = oids[type.uppercased()] else { return nil }
            attributes.append(DistinguishedName.Attribute(oid: oid, value: value))
        }
        return DistinguishedName(attributes)
    }

    /// The `type=value` pairs of single-valued RDNs, in the order written, values unescaped.
    static func split(_ text: String) throws -> [(type: String, value: String)] {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PKIError(.invalidArgument, "the subject is empty: give attributes such as O=Acme,OU=Databases")
        }
        let bytes = Array(text.utf8)
        var pairs = [(type: String, value: String)]()
        var index = 0
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 }
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while true {
            // The type, up to '='.
            var typeBytes = [UInt8]()
            while index < bytes.count, bytes[index] != UInt8(ascii: "=") {
                if bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: "+") { break }
                typeBytes.append(bytes[index])
                index += 1
            }
            let type = String(decoding: typeBytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                let shown = TextEscaping.printable(type, limit: 32)
                throw PKIError(
                    .invalidArgument,
                    type.isEmpty
                        ? "the subject has an empty attribute: write TYPE=VALUE pairs separated by commas"
                        : "'\(shown)' in the subject is not TYPE=VALUE")
            }
            guard !type.isEmpty else {
                throw PKIError(.invalidArgument, "the subject has a value without an attribute type")
            }
            index += 1
            // The value, up to an unescaped ',' (or '+', refused).
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "#") {
                throw PKIError(
                    .invalidArgument,
                    "the subject's \(type) is a #hex value: write the text (escape a leading # as \\#)")
            }
            var value = [UInt8]()
            var keptLength = 0  // bytes up to the last escaped or non-space one
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ",") { break }
                if byte == UInt8(ascii: "+") {
                    throw PKIError(
                        .invalidArgument,
                        "the subject has a multi-valued RDN ('+' after \(type)): give one attribute per RDN, or escape it as \\+"
                    )
                }
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < bytes.count else {
                        throw PKIError(.invalidArgument, "the subject's \(type) ends with a lone backslash")
                    }
                    let next = bytes[index + 1]
                    if Array("\\\"+,;<>= #".utf8).contains(next) {
                        value.append(next)
                        index += 2
                    } else if index + 2 < bytes.count, let high = hexValue(next), let low = hexValue(bytes[index + 2]) {
                        value.append(high << 4 | low)
                        index += 3
                    } else {
                        throw PKIError(
                            .invalidArgument,
                            "the subject's \(type) has an unknown escape '\\\(String(decoding: [next], as: UTF8.self))'"
                        )
                    }
                    keptLength = value.count
                    continue
                }
                if Array("\";<>".utf8).contains(byte) {
                    throw PKIError(
                        .invalidArgument,
                        "the subject's \(type) holds an unescaped '\(String(decoding: [byte], as: UTF8.self))': escape it with a backslash"
                    )
                }
                value.append(byte)
                if !isSpace(byte) { keptLength = value.count }
                index += 1
            }
            guard let text = String(validating: value[..<keptLength], as: UTF8.self) else {
                throw PKIError(.invalidArgument, "the subject's \(type) is not valid UTF-8")
            }
            guard !text.isEmpty else { throw PKIError(.invalidArgument, "the subject's \(type) is empty") }
            pairs.append((type, text))
            if index >= bytes.count { return pairs }
            index += 1  // the ','
        }
    }
}
