/// One entry of a subjectAltName extension.
public enum SubjectAlternativeName: Hashable, Sendable, CustomStringConvertible {
    /// A dNSName.
    case dns(String)
    /// An iPAddress (4 or 16 bytes).
    case ip(IPAddress)
    /// An rfc822Name.
    case email(String)
    /// A uniformResourceIdentifier.
    case uri(String)
    /// Any other GeneralName, by its context tag number (0 otherName, 3 x400, 4 directoryName, 5 ediParty, 8 rid).
    case other(tag: Int)

    /// `DNS:name`, `IP:address`, ...; control characters (a NUL hidden in a crafted dNSName,
    /// an escape sequence) are shown as `\xNN` (``TextEscaping``), so printing a name never writes them to a terminal.
    public var description: String {
        switch self {
        case .dns(let name): "DNS:\(Self.visible(name))"
        case .ip(let address): "IP:\(address)"
        case .email(let address): "email:\(Self.visible(address))"
        case .uri(let uri): "URI:\(Self.visible(uri))"
        case .other(let tag): "other:\(tag)"
        }
    }

    private static func visible(_ text: String) -> String { TextEscaping.printable(text) }
}
