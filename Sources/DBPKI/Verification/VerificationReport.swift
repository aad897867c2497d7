import Foundation

/// The JSON record `dbpki verify chain --json` prints: the leaf, the combined
/// verdict, each engine's answer, and whether the engines disagreed.
public struct VerificationReport: Codable, Sendable {
    /// One engine's verdict.
    public struct EngineVerdict: Codable, Sendable {
        /// One reason, as ``VerificationFailure`` holds it.
        public struct Failure: Codable, Sendable {
            /// ``VerificationFailure/Reason``'s identifier, the same for both engines.
            public var reason: String
            /// The engine's or the rule's words.
            public var message: String
            /// Which certificate (0 = leaf), when known.
            public var depth: Int?
            /// The ``PathRule/id`` that found it; absent for an engine's own finding.
            public var rule: String?
        }
        /// The engine's name: `openssl` or `gnutls`.
        public var engine: String
        /// This engine's verdict, with the profile's rules applied.
        public var valid: Bool
        /// Why not; empty when valid.
        public var failures: [Failure]
    }

    /// True only when every engine accepted the certificate.
    public var valid: Bool
    /// The leaf's subject, RFC 4514.
    public var subject: String
    /// The leaf's SHA-256 fingerprint, lowercase hex, to tell certificates with one subject apart.
    public var fingerprintSHA256: String
    /// True when the engines reached different verdicts, or the same one for different reasons.
    public var disagreement: Bool
    /// Each engine's answer, in the order asked.
    public var engines: [EngineVerdict]

    /// Builds the record from a leaf and the engines' answers.
    public init(leaf: CertificateInfo, outcome: CrossCheckedVerification) {
        self.init(subject: leaf.subject, fingerprintSHA256: leaf.fingerprintHex, outcome: outcome)
    }

    /// Builds the record from the leaf's subject and fingerprint, for a leaf no engine can
    /// parse (the verdict then says why it is invalid).
    public init(subject: String, fingerprintSHA256: String, outcome: CrossCheckedVerification) {
        valid = outcome.isValid
        self.subject = subject
        self.fingerprintSHA256 = fingerprintSHA256
        disagreement = outcome.verdictsDiffer || outcome.reasonsDiffer
        engines = outcome.results.map { result in
            EngineVerdict(
                engine: result.engine.name, valid: result.isValid,
                failures: result.failures.map {
                    EngineVerdict.Failure(
                        reason: $0.reason.rawValue, message: $0.message, depth: $0.depth, rule: $0.rule)
                })
        }
    }

    enum CodingKeys: String, CodingKey {
        case valid, subject, disagreement, engines
        case fingerprintSHA256 = "fingerprint_sha256"
    }

    /// Stable JSON text (sorted keys).
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
