/// A name as RFC 5280 4.2.1.6 writes it in subjectAltName and in name-constraint subtrees,
/// with every form kept (``SubjectAlternativeName`` keeps only what dbpki prints): name
/// constraints must know which form a name has even when dbpki cannot match that form.
public enum GeneralName: Hashable, Sendable {
    /// dNSName: a host name (or, in a subtree, a domain; empty for every name).
    case dns(String)
    /// iPAddress: 4 or 16 octets in a name; 8 or 32 (address then mask) in a subtree.
    case ip([UInt8])
    /// rfc822Name: a mailbox; in a subtree also a host or a `.domain`.
    case email(String)
    /// uniformResourceIdentifier; in a subtree, a host or a `.domain`.
    case uri(String)
    /// directoryName: a distinguished name, RDN by RDN as encoded.
    case directory(DirectoryName)
    /// otherName (0), x400Address (3), ediPartyName (5) or registeredID (8): forms dbpki
    /// does not match, kept by their context tag so a constraint on them fails closed.
    case unsupported(tag: Int)

    /// The form, to pair a name with the subtrees that constrain it.
    public var form: Form {
        switch self {
        case .dns: .dns
        case .ip: .ip
        case .email: .email
        case .uri: .uri
        case .directory: .directory
        case .unsupported(let tag): .unsupported(tag)
        }
    }

    /// A GeneralName's form: its CHOICE alternative.
    public enum Form: Hashable, Sendable, CustomStringConvertible {
        case dns, ip, email, uri, directory
        case unsupported(Int)

        public var description: String {
            switch self {
            case .dns: "dNSName"
            case .ip: "iPAddress"
            case .email: "rfc822Name"
            case .uri: "uniformResourceIdentifier"
            case .directory: "directoryName"
            case .unsupported(0): "otherName"
            case .unsupported(3): "x400Address"
            case .unsupported(5): "ediPartyName"
            case .unsupported(8): "registeredID"
            case .unsupported(let tag): "GeneralName [\(tag)]"
            }
        }
    }
}
