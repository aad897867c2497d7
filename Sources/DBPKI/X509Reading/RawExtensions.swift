/// A certificate's extensions as encoded: OID, critical flag and the value's DER, read in
/// pure Swift. The core's profile rules read values the engines do not hand back (the
/// authorityKeyIdentifier's issuer fields, the AIA's structure, name-constraint subtrees).
public struct RawExtensions: Sendable {
    /// One extension.
    public struct Extension: Sendable {
        public var oid: String
        public var critical: Bool
        /// The extnValue OCTET STRING's content: the extension's own DER.
        public var value: ArraySlice<UInt8>
    }

    /// In encoded order.
    public var all: [Extension]

    /// The certificate's subject Name's content (its RDNSequence), for name rules.
    public var subjectContent: ArraySlice<UInt8>

    /// Reads the extensions of `der`, a certificate; throws when it cannot be walked.
    public init(certificate der: [UInt8]) throws {
        var outer = DERReader(der[...])
        var parts = DERReader(try outer.read(tag: 0x30).content)
        var fields = DERReader(try parts.read(tag: 0x30).content)
        var next = try fields.read()
        if next.tag == 0xa0 { next = try fields.read() }  // version; next is the serial
        _ = try fields.read(tag: 0x30)  // signature algorithm
        _ = try fields.read(tag: 0x30)  // issuer
        _ = try fields.read(tag: 0x30)  // validity
        subjectContent = try fields.read(tag: 0x30).content
        _ = try fields.read(tag: 0x30)  // subjectPublicKeyInfo
        all = []
        while !fields.isAtEnd {
            let element = try fields.read()
            guard element.tag == 0xa3 else { continue }
            var explicit = DERReader(element.content)
            var list = DERReader(try explicit.read(tag: 0x30).content)
            while !list.isAtEnd {
                var item = DERReader(try list.read(tag: 0x30).content)
                let oid = try CertificateFieldReader.oidText(try item.read(tag: 0x06).content)
                var value = try item.read()
                var critical = false
                if value.tag == 0x01 {
                    critical = value.content.first.map { $0 != 0 } ?? false
                    value = try item.read()
                }
                guard value.tag == 0x04 else {
                    throw PKIError(.invalidInput, "an extension value that is not an OCTET STRING")
                }
                all.append(Extension(oid: oid, critical: critical, value: value.content))
            }
        }
    }

    /// The first extension with `oid`.
    public subscript(oid: String) -> Extension? { all.first { $0.oid == oid } }
}
