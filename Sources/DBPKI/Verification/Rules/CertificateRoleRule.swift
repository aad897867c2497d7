/// Each certificate must be shaped for the role it plays on the path: every issuer is a
/// CA (basicConstraints cA, RFC 5280 6.1.4 (k)) with a non-empty subject (4.1.2.6); the
/// leaf, unless it is a CA, carries neither nameConstraints (4.2.1.10) nor keyCertSign
/// (4.2.1.3); an extendedKeyUsage extension lists at least one purpose (4.2.1.12).
public struct CertificateRoleRule: PathRule {
    public static let id = "certificate-role"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        var failures = [VerificationFailure]()
        for (depth, issuer) in path.issuers {
            if !issuer.isCA {
                failures.append(failure(.notCA, "\(issuer.subject) issues certificates but is not a CA", depth: depth))
            }
            if issuer.isCA && issuer.subject.isEmpty {
                failures.append(failure(.malformed, "a CA on the path has an empty subject", depth: depth))
            }
        }
        let leaf = path.leaf
        if !leaf.isCA {
            if leaf.extension(CertificateExtension.nameConstraints) != nil {
                failures.append(failure(.malformed, "end-entity \(leaf.subject) carries nameConstraints", depth: 0))
            }
            if leaf.keyUsage?.contains(.keyCertSign) == true {
                failures.append(failure(.malformed, "end-entity \(leaf.subject) asserts keyCertSign", depth: 0))
            }
        }
        for (depth, certificate) in path.certificates.enumerated() where certificate.extendedKeyUsage == [] {
            failures.append(failure(.malformed, "\(certificate.subject) has an empty extendedKeyUsage", depth: depth))
        }
        return failures
    }
}
