/// A distinguished name to put in a certificate, as an ordered list of
/// single-valued RDNs, most significant first (`C`, then `O`, then `CN`).
public struct DistinguishedName: Hashable, Sendable {
    /// One relative distinguished name: an attribute type (by OID) and its text value.
    public struct Attribute: Hashable, Sendable {
        /// The attribute type OID in dotted form, such as `2.5.4.3` for commonName.
        public var oid: String
        /// The value, encoded as UTF8String (PrintableString for countryName).
        public var value: String

        /// Makes an attribute from its OID and value.
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

    /// A name with only a common name, as dbpki's certificates have by default.
    public static func commonName(_ name: String) -> DistinguishedName { DistinguishedName([.commonName(name)]) }
}
