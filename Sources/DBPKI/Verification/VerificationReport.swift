import Foundation

/// The JSON record `dbpki verify chain --json` prints: the leaf, the combined
/// verdict, each engine's answer, and whether the engines disagreed.
public struct VerificationReport: Codable, Sendable {
    /// One engine's verdict.
    public struct EngineVerdict: Codable, Sendable {
        /// One reason.
        public struct Failure: Codable, Sendable {
            public var reason: String
            public var message: String
            public var depth: Int?
        }
        public var engine: String
        public var valid: Bool
        public var failures: [Failure]
    }

    public var valid: Bool
    public var subject: String
    public var fingerprintSHA256: String
    public var disagreement: Bool
    public var engines: [EngineVerdict]

    /// Builds the record from a leaf and the engines' answers.
    public init(leaf: CertificateInfo, outcome: CrossCheckedVerification) {
        valid = outcome.isValid
        subject = leaf.subject
        fingerprintSHA256 = leaf.fingerprintHex
        disagreement = outcome.verdictsDiffer || outcome.reasonsDiffer
        engines = outcome.results.map { result in
            EngineVerdict(
                engine: result.engine.name, valid: result.isValid,
                failures: result.failures.map {
                    EngineVerdict.Failure(reason: $0.reason.rawValue, message: $0.message, depth: $0.depth)
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
