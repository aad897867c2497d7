/// Every certificate on the path, the trust anchor included, must be valid at the
/// validation time: notBefore <= time <= notAfter, compared in whole seconds (RFC 5280
/// encodes validity to the second, so 5 ms past notAfter is still within it).
public struct ValidityRule: PathRule {
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        path.certificates.enumerated().compactMap { depth, certificate in
            if path.time < certificate.notBefore {
                return .rule(
                    .notYetValid, "\(certificate.subject) is not valid before \(RFC3339.format(certificate.notBefore))",
                    depth: depth)
            }
            if path.time > certificate.notAfter {
                return .rule(
                    .expired, "\(certificate.subject) expired at \(RFC3339.format(certificate.notAfter))", depth: depth)
            }
            return nil
        }
    }
}
