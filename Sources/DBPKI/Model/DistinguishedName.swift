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
    }

    /// The RDNs, most significant first, in the order they are encoded.
    public var attributes: [Attribute]

    /// Makes a name from its RDNs, most significant first.
    public init(_ attributes: [Attribute]) { self.attributes = attributes }

    /// The upper bounds RFC 5280 (appendix A.1) sets for the attributes dbpki writes, in
    /// characters: `ub-common-name` 64, `ub-organization-name` 64, `ub-organizational-unit-name`
    /// 64, and two letters for a country.
    static let upperBounds: [String: Int] = ["2.5.4.3": 64, "2.5.4.10": 64, "2.5.4.11": 64, "2.5.4.6": 2]

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
        }
    }

    /// A name with only a common name, as dbpki's certificates have by default.
    public static func commonName(_ name: String) -> DistinguishedName { DistinguishedName([.commonName(name)]) }
}
