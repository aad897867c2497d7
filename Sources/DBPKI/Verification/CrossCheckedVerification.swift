/// The answer to one path-validation question from one or more engines, and
/// where they disagree. With several engines the certificate is valid only
/// when every engine says so.
public struct CrossCheckedVerification: Sendable {
    /// Each engine's answer, in the order asked.
    public var results: [VerificationResult]

    /// Wraps the answers (``ChainVerifier`` makes them).
    public init(results: [VerificationResult]) { self.results = results }

    /// True only when every engine accepted the certificate.
    public var isValid: Bool { results.allSatisfy(\.isValid) }

    /// True when the engines reached different verdicts.
    public var verdictsDiffer: Bool { Set(results.map(\.isValid)).count > 1 }

    /// True when all engines rejected but for different sets of reasons.
    public var reasonsDiffer: Bool {
        !isValid && !verdictsDiffer && Set(results.map { Set($0.reasons) }).count > 1
    }

    /// One human line per engine that disagrees with another, naming its verdict and reasons.
    public var disagreementReport: [String] {
        guard verdictsDiffer || reasonsDiffer else { return [] }
        return results.map { result in
            if result.isValid { return "\(result.engine): valid" }
            return "\(result.engine): invalid: " + result.failures.map(\.description).joined(separator: "; ")
        }
    }
}
