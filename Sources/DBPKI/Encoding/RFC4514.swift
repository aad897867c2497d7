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
