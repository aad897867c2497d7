/// Name constraints, decided in the core for both engines (RFC 5280 4.2.1.10 and 6.1.3 (b)-(c)).
///
/// Every CA on the path that carries nameConstraints (the trust anchor too, as both engines
/// treat an anchor certificate's constraints) constrains every certificate below it, except
/// self-issued intermediates: each subjectAltName by its form, the subject as a directoryName,
/// emailAddress attributes as rfc822Names and, for a leaf without subjectAltName, a common
/// name that is a host name or an IP address. A wildcard dNSName that could stand for a name
/// in an excluded subtree is rejected. A constraint on a form dbpki cannot match (otherName,
/// x400Address, ediPartyName, registeredID) fails closed only where a name of that form
/// appears. A constraint that is encoded but meaningless (see
/// ``CertificateNames/constraintDefect``) rejects the path.
///
/// The rule is authoritative: ``ChainVerifier`` drops an engine's own name-constraint finding
/// on a path this rule has judged to the anchor, so both engines answer alike (GnuTLS rejected
/// otherName constraints that constrain nothing; neither engine saw wildcards reach into
/// excluded subtrees, or read a leading-period dNSName constraint as malformed).
public struct NameConstraintsRule: PathRule {
    public static let id = "name-constraints"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        let read = path.names
        var failures = [VerificationFailure]()
        for issuerDepth in path.certificates.indices.dropFirst() {
            guard let issuer = read[issuerDepth] else {
                if path.certificates[issuerDepth].extension(CertificateExtension.nameConstraints) != nil {
                    failures.append(
                        failure(
                            .nameConstraints, "the name constraints at depth \(issuerDepth) cannot be read",
                            depth: issuerDepth))
                }
                continue
            }
            if let defect = issuer.constraintDefect {
                failures.append(
                    failure(
                        .nameConstraints, "\(defect) (depth \(issuerDepth)): no name can be checked against it",
                        depth: issuerDepth))
                continue
            }
            guard let constraints = issuer.constraints else { continue }
            for depth in 0..<issuerDepth {
                let certificate = path.certificates[depth]
                if depth > 0 && certificate.isSelfIssued { continue }
                guard let names = read[depth] else {
                    failures.append(
                        failure(.nameConstraints, "the names at depth \(depth) cannot be read", depth: depth))
                    continue
                }
                if let problem = Self.violation(of: constraints, by: Self.constrainedNames(names, isLeaf: depth == 0)) {
                    failures.append(
                        failure(
                            .nameConstraints, "\(problem), which the CA at depth \(issuerDepth) forbids", depth: depth))
                }
            }
        }
        return failures
    }

    /// The names of one certificate that constraints apply to.
    static func constrainedNames(_ names: CertificateNames, isLeaf: Bool) -> [GeneralName] {
        var result = names.alternativeNames ?? []
        if !names.subject.isEmpty { result.append(.directory(names.subject)) }
        for case .text(let address) in names.subject.values(of: DirectoryName.emailAddress) {
            result.append(.email(address))
        }
        if isLeaf && names.alternativeNames == nil {
            for case .text(let common) in names.subject.values(of: DirectoryName.commonName) {
                if let address = IPAddress(common) {
                    result.append(.ip(address.bytes))
                } else if common.contains("."), DNSName.isValid(common) {
                    result.append(.dns(common))
                }
            }
        }
        return result
    }

    /// The first name the constraints reject, described; nil when all are allowed.
    static func violation(of constraints: NameConstraints, by names: [GeneralName]) -> String? {
        let forms = constraints.constrainedForms
        for name in names {
            let form = name.form
            guard forms.contains(form) else { continue }
            if case .unsupported = form {
                return "a \(form) name under a \(form) constraint, which dbpki cannot check"
            }
            if let excluded = constraints.excluded,
                let base = excluded.first(where: { SubtreeMatch.name(name, isWithin: $0, mayExpand: true) })
            {
                return "\(describe(name)) is in the excluded subtree \(describe(base))"
            }
            if let permitted = constraints.permitted?.filter({ $0.form == form }), !permitted.isEmpty,
                !permitted.contains(where: { SubtreeMatch.name(name, isWithin: $0) })
            {
                return "\(describe(name)) is outside the permitted \(form) subtrees"
            }
        }
        return nil
    }

    private static func describe(_ name: GeneralName) -> String {
        switch name {
        case .dns(let host): "dNSName '\(TextEscaping.printable(host))'"
        case .email(let mailbox): "rfc822Name '\(TextEscaping.printable(mailbox))'"
        case .uri(let uri): "URI '\(TextEscaping.printable(uri))'"
        case .ip(let bytes):
            if let address = IPAddress(bytes: bytes) {
                "iPAddress \(address)"
            } else if bytes.count == 8 || bytes.count == 32,
                let network = IPAddress(bytes: Array(bytes[0..<(bytes.count / 2)]))
            {
                "iPAddress range \(network)/\(bytes[(bytes.count / 2)...].reduce(0) { $0 + $1.nonzeroBitCount })"
            } else {
                "iPAddress of \(bytes.count) octets"
            }
        case .directory(let distinguished):
            "directoryName '\(RFC4514.format(distinguished.rdns))'"
        case .unsupported: "a \(name.form)"
        }
    }
}
