import Foundation

/// A distinguished name to put in a certificate, as an ordered list of
/// single-valued RDNs, most significant first (`C`, then `O`, then `CN`).
public struct DistinguishedName: Hashable, Sendable {
    /// One relative distinguished name: an attribute type (by OID) and its text value.
    public struct Attribute: Hashable, Sendable {
        /// The attribute type OID in dotted form, such as `2.5.4.3` for commonName.
        public var oid: String
        /// The value, encoded as UTF8String (PrintableString for countryName).
        public var value: String

        /// An attribute of any type; the static members below make the common ones.
        public init(oid: String, value: String) {
            self.oid = oid
            self.value = value
        }

        /// `CN`.
        public static func commonName(_ value: String) -> Attribute { Attribute(oid: "2.5.4.3", value: value) }
        /// `O`.
        public static func organization(_ value: String) -> Attribute { Attribute(oid: "2.5.4.10", value: value) }
        /// `OU`.
        public static func organizationalUnit(_ value: String) -> Attribute { Attribute(oid: "2.5.4.11", value: value) }
        /// `C` (two letters).
        public static func country(_ value: String) -> Attribute { Attribute(oid: "2.5.4.6", value: value) }
        /// `ST`.
        public static func state(_ value: String) -> Attribute { Attribute(oid: "2.5.4.8", value: value) }
        /// `L`.
        public static func locality(_ value: String) -> Attribute { Attribute(oid: "2.5.4.7", value: value) }
        /// `DC` (one DNS label, IA5String).
        public static func domainComponent(_ value: String) -> Attribute {
            Attribute(oid: "0.9.2342.19200300.100.1.25", value: value)
        }
    }

    /// The RDNs, most significant first, in the order they are encoded.
    public var attributes: [Attribute]

    /// Makes a name from its RDNs, most significant first.
    public init(_ attributes: [Attribute]) { self.attributes = attributes }

    /// The upper bounds RFC 5280 (appendix A.1) sets for the attributes dbpki writes, in
    /// characters: `ub-common-name` 64, `ub-organization-name` 64, `ub-organizational-unit-name`
    /// 64, `ub-state-name` 128, `ub-locality-name` 128, two letters for a country, and 63 for a
    /// domain component (one DNS label, RFC 4519 2.4).
    static let upperBounds: [String: Int] = [
        "2.5.4.3": 64, "2.5.4.10": 64, "2.5.4.11": 64, "2.5.4.6": 2, "2.5.4.8": 128, "2.5.4.7": 128,
        "0.9.2342.19200300.100.1.25": 63,
    ]

    /// Throws when an attribute is empty, longer than RFC 5280 allows, or holds control
    /// characters (which no client displays alike and which can rewrite a terminal).
    public func validate() throws {
        for attribute in attributes {
            let name = RFC4514.shortNames[attribute.oid] ?? attribute.oid
            let shown = TextEscaping.printable(attribute.value, limit: 64)
            guard !attribute.value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw PKIError(.invalidArgument, "the subject's \(name) is empty")
            }
            if let bound = Self.upperBounds[attribute.oid], attribute.value.count > bound {
                throw PKIError(
                    .invalidArgument,
                    "the subject's \(name) '\(shown)' is \(attribute.value.count) characters; RFC 5280 allows at most \(bound)"
                )
            }
            if attribute.value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7f..<0xa0).contains($0.value) }) {
                throw PKIError(.invalidArgument, "the subject's \(name) '\(shown)' contains control characters")
            }
            // Both engines write C as a PrintableString and DC as an IA5String; checked here so a
            // bad value is refused before any key or file is made, with the same words on both.
            if attribute.oid == "2.5.4.6",
                !attribute.value.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) })
            {
                throw PKIError(
                    .invalidArgument, "the subject's C '\(shown)' is not a two-letter country code (ISO 3166)")
            }
            if attribute.oid == "0.9.2342.19200300.100.1.25", !attribute.value.unicodeScalars.allSatisfy({ $0.isASCII })
            {
                throw PKIError(.invalidArgument, "the subject's DC '\(shown)' is not ASCII (an IA5String DNS label)")
            }
        }
    }

    /// The name of a certificate called `name`: these attributes, then `CN=name` last.
    public func withCommonName(_ name: String) -> DistinguishedName {
        DistinguishedName(attributes.filter { $0.oid != "2.5.4.3" } + [.commonName(name)])
    }

    /// A name with only a common name, as dbpki's certificates have by default.
    public static func commonName(_ name: String) -> DistinguishedName { DistinguishedName([.commonName(name)]) }
}
