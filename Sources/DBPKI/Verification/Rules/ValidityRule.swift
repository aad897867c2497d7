import Foundation

/// Every certificate on the path, the trust anchor included, must be valid at the
/// validation time: notBefore <= time <= notAfter, compared in whole seconds (RFC 5280
/// encodes validity to the second, so 5 ms past notAfter is still within it).
public struct ValidityRule: PathRule {
    public static let id = "validity"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        path.certificates.enumerated().compactMap { depth, certificate in
            Self.problem(with: certificate, at: path.policy.time).map { failure($0.reason, $0.message, depth: depth) }
        }
    }

    /// Why `certificate` is not valid at `time` (compared in whole seconds), or nil when it is.
    /// `verify bundle` asks the same question of each certificate in a download.
    public static func problem(with certificate: CertificateInfo, at time: Date)
        -> (reason: VerificationFailure.Reason, message: String)?
    {
        let second = UTCClock.wholeSecond(time)
        if second < certificate.notBefore {
            return (.notYetValid, "\(certificate.subject) is not valid before \(RFC3339.format(certificate.notBefore))")
        }
        if second > certificate.notAfter {
            return (.expired, "\(certificate.subject) expired at \(RFC3339.format(certificate.notAfter))")
        }
        return nil
    }
}
