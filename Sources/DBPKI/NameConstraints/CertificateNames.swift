/// What name constraints look at in one certificate, read from its DER in pure Swift: the
/// subject as a ``DirectoryName``, every subjectAltName in its own form, and the
/// certificate's own nameConstraints extension when it is a CA that carries one.
///
/// Engines report names only in the forms they print; RFC 5280 4.2.1.10 needs every form
/// (an otherName in a SAN under an otherName constraint must fail closed), the subject RDN
/// by RDN, and the constraint subtrees themselves, which neither engine hands back.
public struct CertificateNames: Sendable {
    /// The subject (empty when the certificate names its subject only in subjectAltName).
    public var subject: DirectoryName
    /// subjectAltName entries in encoded order; nil when the extension is absent.
    public var alternativeNames: [GeneralName]?
    /// The nameConstraints extension; nil when absent.
    public var constraints: NameConstraints?
    /// Why the nameConstraints extension cannot be applied as written (a subtree with a
    /// minimum or maximum, an iPAddress that is not address + contiguous mask, a dNSName with
    /// a leading period or a wildcard, a malformed rfc822Name, no subtrees at all); nil when it
    /// is well formed or absent. RFC 5280 gives no meaning to such a constraint, so a path
    /// through it is rejected rather than guessed at.
    public var constraintDefect: String?

    /// Reads `der`, a certificate. Throws when the certificate itself cannot be walked
    /// (the engines have parsed it by then, so this is rare); a defective constraint is
    /// reported in ``constraintDefect`` instead.
    public init(certificate der: [UInt8]) throws {
        try self.init(extensions: try RawExtensions(certificate: der))
    }

    /// The names of a certificate whose extensions (and subject) are read already.
    public init(extensions: RawExtensions) throws {
        subject = try Self.directoryName(extensions.subjectContent)
        alternativeNames = nil
        constraints = nil
        constraintDefect = nil
        if let names = extensions[CertificateExtension.subjectAltName] {
            var sequence = DERReader(names.value)
            alternativeNames = try Self.generalNames(try sequence.read(tag: 0x30).content)
        }
        if let found = extensions[CertificateExtension.nameConstraints] {
            do {
                constraints = try Self.nameConstraints(found.value, critical: found.critical)
            } catch let defect as ConstraintDefect {
                constraintDefect = defect.reason
            }
        }
    }

    /// Names given directly (tests, and callers that already hold the parts).
    public init(
        subject: DirectoryName, alternativeNames: [GeneralName]? = nil, constraints: NameConstraints? = nil,
        constraintDefect: String? = nil
    ) {
        self.subject = subject
        self.alternativeNames = alternativeNames
        self.constraints = constraints
        self.constraintDefect = constraintDefect
    }

    /// A name constraint that is encoded but meaningless (RFC 5280 4.2.1.10's syntax rules).
    private struct ConstraintDefect: Error {
        var reason: String
    }

    private static func nameConstraints(_ value: ArraySlice<UInt8>, critical: Bool) throws -> NameConstraints {
        var outer = DERReader(value)
        var sequence = DERReader(try outer.read(tag: 0x30).content)
        var result = NameConstraints(permitted: nil, excluded: nil, critical: critical)
        while !sequence.isAtEnd {
            let subtrees = try sequence.read()
            let bases = try Self.subtrees(subtrees.content)
            switch subtrees.tag {
            case 0xa0: result.permitted = bases
            case 0xa1: result.excluded = bases
            default: throw ConstraintDefect(reason: "an unknown field in nameConstraints")
            }
        }
        if result.permitted == nil && result.excluded == nil {
            throw ConstraintDefect(reason: "nameConstraints with neither permitted nor excluded subtrees")
        }
        return result
    }

    private static func subtrees(_ content: ArraySlice<UInt8>) throws -> [GeneralName] {
        var reader = DERReader(content)
        var bases = [GeneralName]()
        while !reader.isAtEnd {
            var subtree = DERReader(try reader.read(tag: 0x30).content)
            guard let base = try generalNames(subtree.read().encoded).first else {
                throw ConstraintDefect(reason: "a name-constraint subtree without a base")
            }
            while !subtree.isAtEnd {
                let bound = try subtree.read()
                // minimum [0] DEFAULT 0 (so never encoded in DER), maximum [1] absent (RFC 5280 4.2.1.10).
                throw ConstraintDefect(
                    reason: bound.tag == 0x80
                        ? "a name-constraint subtree with a minimum" : "a name-constraint subtree with a maximum")
            }
            if let defect = Self.defect(inBase: base) { throw ConstraintDefect(reason: defect) }
            bases.append(base)
        }
        guard !bases.isEmpty else { throw ConstraintDefect(reason: "an empty list of name-constraint subtrees") }
        return bases
    }

    /// Why a subtree base has no meaning under RFC 5280 4.2.1.10, or nil.
    private static func defect(inBase base: GeneralName) -> String? {
        switch base {
        case .dns(let domain):
            if domain.isEmpty { return nil }  // every name
            if domain.hasPrefix(".") { return "the dNSName constraint '\(domain)' has a leading period" }
            if domain.contains("*") { return "the dNSName constraint '\(domain)' has a wildcard" }
            return DNSName.isValid(domain) ? nil : "the dNSName constraint '\(domain)' is not a domain name"
        case .ip(let bytes):
            guard bytes.count == 8 || bytes.count == 32 else {
                return "an iPAddress constraint of \(bytes.count) octets (not address and mask)"
            }
            let mask = bytes[(bytes.count / 2)...]
            var seenZero = false
            for byte in mask {
                for bit in (0..<8).reversed() {
                    let set = byte >> bit & 1 == 1
                    if set && seenZero { return "an iPAddress constraint whose mask is not contiguous" }
                    if !set { seenZero = true }
                }
            }
            return nil
        case .email(let constraint):
            let parts = constraint.split(separator: "@", omittingEmptySubsequences: false)
            switch parts.count {
            case 1:
                let host = constraint.hasPrefix(".") ? String(constraint.dropFirst()) : constraint
                return DNSName.isValid(host) && !host.contains("*")
                    ? nil : "the rfc822Name constraint '\(constraint)' is not a host or a domain"
            case 2:
                return !parts[0].isEmpty && DNSName.isValid(String(parts[1])) && !parts[1].contains("*")
                    ? nil : "the rfc822Name constraint '\(constraint)' is not a mailbox"
            default:
                return "the rfc822Name constraint '\(constraint)' is not a mailbox"
            }
        case .uri(let constraint):
            let host = constraint.hasPrefix(".") ? String(constraint.dropFirst()) : constraint
            return DNSName.isValid(host) && !host.contains("*")
                ? nil : "the URI constraint '\(constraint)' is not a host or a domain"
        case .directory, .unsupported:
            return nil
        }
    }

    /// GeneralNames (the content of a SEQUENCE OF GeneralName), every form kept.
    static func generalNames(_ content: ArraySlice<UInt8>) throws -> [GeneralName] {
        var reader = DERReader(content)
        var names = [GeneralName]()
        while !reader.isAtEnd {
            let name = try reader.read()
            guard name.tag & 0xc0 == 0x80 else {
                throw PKIError(.invalidInput, "a GeneralName that is not context-tagged")
            }
            let text = { String(decoding: name.content, as: UTF8.self) }
            switch name.tag & 0x1f {
            case 1: names.append(.email(text()))
            case 2: names.append(.dns(text()))
            case 4:
                var explicit = DERReader(name.content)
                names.append(.directory(try directoryName(try explicit.read(tag: 0x30).content)))
            case 6: names.append(.uri(text()))
            case 7: names.append(.ip(Array(name.content)))
            case let tag: names.append(.unsupported(tag: Int(tag)))
            }
        }
        return names
    }

    /// A Name's RDNSequence content.
    static func directoryName(_ content: ArraySlice<UInt8>) throws -> DirectoryName {
        var reader = DERReader(content)
        var rdns = [[RFC4514.AttributeValue]]()
        while !reader.isAtEnd {
            var set = DERReader(try reader.read(tag: 0x31).content)
            var rdn = [RFC4514.AttributeValue]()
            while !set.isAtEnd {
                var attribute = DERReader(try set.read(tag: 0x30).content)
                let oid = try CertificateFieldReader.oidText(try attribute.read(tag: 0x06).content)
                rdn.append(.init(oid: oid, value: CertificateFieldReader.attributeValue(try attribute.read())))
            }
            rdns.append(rdn)
        }
        return DirectoryName(rdns: rdns)
    }
}
