/// An engine's answer to a ``VerificationRequest``: valid, or invalid with reasons.
///
/// Failing validation is a result, not an error: engines throw only when the
/// question itself cannot be asked (undecodable input, engine failure).
public struct VerificationResult: Sendable, Hashable {
    /// Who answered, so a cross-check can say which engine said what.
    public var engine: Engine
    /// Why the certificate is not valid; empty when it is.
    public var failures: [VerificationFailure]
    /// The path the engine judged (DER, leaf first, ending at the trust anchor when one
    /// was reached), so the core can apply its own rules to the same certificates.
    public var path: [[UInt8]]

    /// An engine's answer; ``ChainVerifier`` returns it with its rules' failures added.
    public init(engine: Engine, failures: [VerificationFailure], path: [[UInt8]]) {
        self.engine = engine
        self.failures = failures
        self.path = path
    }

    /// True when neither the engine nor a rule found anything wrong.
    public var isValid: Bool { failures.isEmpty }

    /// The distinct reasons, in the order first reported.
    public var reasons: [VerificationFailure.Reason] {
        var seen = Set<VerificationFailure.Reason>()
        return failures.map(\.reason).filter { seen.insert($0).inserted }
    }
}

/// One reason a certificate failed validation.
public struct VerificationFailure: Sendable, Hashable, CustomStringConvertible {
    /// A normalized reason, the same for both engines. Compare against the static members.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        /// A short stable identifier, such as `expired`.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A certificate in the path has expired.
        public static let expired = Reason("expired")
        /// A certificate in the path is not yet valid.
        public static let notYetValid = Reason("not-yet-valid")
        /// The leaf does not match the requested DNS name.
        public static let hostnameMismatch = Reason("hostname-mismatch")
        /// The leaf does not match the requested IP address.
        public static let ipMismatch = Reason("ip-mismatch")
        /// The leaf (or a CA) is not allowed the requested purpose.
        public static let purposeMismatch = Reason("purpose-mismatch")
        /// An issuing certificate is not a CA, or may not sign certificates.
        public static let notCA = Reason("not-ca")
        /// A pathLenConstraint or the maximum number of intermediates was exceeded.
        public static let pathLengthExceeded = Reason("path-length-exceeded")
        /// A certificate in the path is revoked.
        public static let revoked = Reason("revoked")
        /// No path to a trust anchor could be built.
        public static let untrusted = Reason("untrusted")
        /// A signature (certificate or CRL) does not verify.
        public static let badSignature = Reason("bad-signature")
        /// A signature uses a hash or key the policy rejects (SHA-1, MD5, small keys).
        public static let insecureAlgorithm = Reason("insecure-algorithm")
        /// A name constraint was violated.
        public static let nameConstraints = Reason("name-constraints")
        /// A critical extension the engine does not understand.
        public static let unknownCriticalExtension = Reason("unhandled-critical-extension")
        /// A CRL is unusable (bad signature, expired, malformed).
        public static let invalidCRL = Reason("invalid-crl")
        /// A certificate is malformed or breaks an RFC 5280 rule the engine enforces.
        public static let malformed = Reason("malformed")
        /// Anything else; the message says what.
        public static let other = Reason("other")

        /// Every reason above, for reports and tests.
        public static let all: [Reason] = [
            .expired, .notYetValid, .hostnameMismatch, .ipMismatch, .purposeMismatch, .notCA, .pathLengthExceeded,
            .revoked, .untrusted, .badSignature, .insecureAlgorithm, .nameConstraints, .unknownCriticalExtension,
            .invalidCRL, .malformed, .other,
        ]

        /// Looks a reason up by its identifier.
        public init?(rawValue: String) {
            guard let found = Reason.all.first(where: { $0.rawValue == rawValue }) else { return nil }
            self = found
        }

        public var description: String { rawValue }
    }

    /// The normalized reason: what to compare across engines (the messages differ).
    public var reason: Reason
    /// The engine's own words, or dbpki's for a rule's failure, for humans.
    public var message: String
    /// Position in the path (0 = leaf) when the engine says which certificate failed.
    public var depth: Int?
    /// The ``PathRule/id`` of the rule that found this; nil for what an engine reported.
    public var rule: String?

    /// A failure as an engine reports it (`rule` nil) or as a ``PathRule`` does (its id).
    public init(reason: Reason, message: String, depth: Int? = nil, rule: String? = nil) {
        self.reason = reason
        self.message = message
        self.depth = depth
        self.rule = rule
    }

    /// `[rule] reason at depth N: message`, each part only when known.
    public var description: String {
        let tag = rule.map { "[\($0)] " } ?? ""
        if let depth { return "\(tag)\(reason) at depth \(depth): \(message)" }
        return "\(tag)\(reason): \(message)"
    }
}
