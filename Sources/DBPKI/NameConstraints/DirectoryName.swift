/// A distinguished name as a list of RDNs, each a set of (type, value) pairs, compared the
/// way RFC 5280 7.1 asks for name chaining and directoryName constraints: same types, and
/// string values equal after case folding and whitespace compression (other values byte for byte).
public struct DirectoryName: Hashable, Sendable {
    /// The RDNs, most general first (as encoded).
    public var rdns: [[RFC4514.AttributeValue]]

    public init(rdns: [[RFC4514.AttributeValue]]) { self.rdns = rdns }

    /// True for the empty name (a subject left empty, its names only in subjectAltName).
    public var isEmpty: Bool { rdns.isEmpty }

    /// True when `self` lies in the subtree rooted at `base`: base's RDNs are the first of ours.
    public func isWithin(_ base: DirectoryName) -> Bool {
        guard base.rdns.count <= rdns.count else { return false }
        return zip(base.rdns, rdns).allSatisfy { Self.sameRDN($0, $1) }
    }

    /// The values of every attribute of type `oid`, in encoded order.
    public func values(of oid: String) -> [RFC4514.Value] {
        rdns.flatMap { $0 }.filter { $0.oid == oid }.map(\.value)
    }

    private static func sameRDN(_ a: [RFC4514.AttributeValue], _ b: [RFC4514.AttributeValue]) -> Bool {
        guard a.count == b.count else { return false }
        let left = a.map { [$0.oid: comparable($0.value)] }
        let right = b.map { [$0.oid: comparable($0.value)] }
        return left.allSatisfy { right.contains($0) } && right.allSatisfy { left.contains($0) }
    }

    /// A value as compared: string types case-folded with runs of spaces made one and leading
    /// and trailing spaces dropped (RFC 4518's insignificant-space handling, simplified).
    private static func comparable(_ value: RFC4514.Value) -> RFC4514.Value {
        guard case .text(let text) = value else { return value }
        return .text(text.lowercased().split(separator: " ").joined(separator: " "))
    }

    /// commonName (2.5.4.3).
    public static let commonName = "2.5.4.3"
    /// PKCS #9 emailAddress (1.2.840.113549.1.9.1), which rfc822Name constraints also cover.
    public static let emailAddress = "1.2.840.113549.1.9.1"
}
