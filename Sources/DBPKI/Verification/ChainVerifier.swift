/// Answers `verify chain` questions: each engine validates the path its own way under
/// the shared ``VerificationPolicy``, then the profile's rules (``PathRule``) are applied to
/// the path that engine judged. Where engines differ on rules the core can state (key
/// identifiers, criticality, name syntax, serials, counting self-issued CAs, whole-second
/// validity), the rule is decided here once, so both engines answer the same question.
public struct ChainVerifier: Sendable {
    /// How many more intermediates than the policy allows an engine may walk: the core
    /// counts the limit itself (self-issued CAs once), so engines must not cut first.
    static let engineDepthAllowance = 8

    /// The engines asked, in report order.
    public let engines: [any PKIBackend]
    /// The rules applied to every engine's path, in order.
    public let rules: [any PathRule]

    /// A verifier over one or more engines, holding each engine's answer to `rules`
    /// (by default the ``VerificationProfile/rfc5280`` profile's).
    public init(engines: [any PKIBackend], rules: [any PathRule] = VerificationProfile.rfc5280.rules) {
        precondition(!engines.isEmpty, "at least one engine is needed")
        self.engines = engines
        self.rules = rules
    }

    /// Asks every engine, applies the rules to each answer, and returns them together.
    /// Throws (before asking any engine) when the policy's ``VerificationPolicy/maxIntermediates``
    /// is outside ``VerificationPolicy/maxIntermediatesRange``.
    public func verify(_ request: VerificationRequest) throws -> CrossCheckedVerification {
        if let limit = request.policy.maxIntermediates, !VerificationPolicy.maxIntermediatesRange.contains(limit) {
            let range = VerificationPolicy.maxIntermediatesRange
            throw PKIError(
                .invalidArgument,
                "at most \(limit) intermediates is outside the supported range \(range.lowerBound)-\(range.upperBound)")
        }
        var engineRequest = request
        engineRequest.policy.maxIntermediates =
            (request.policy.maxIntermediates ?? VerificationPolicy.defaultMaxIntermediates) + Self.engineDepthAllowance
        let anchors = Set(request.trustAnchors)
        return CrossCheckedVerification(
            results: try engines.map { engine in
                let answer = try engine.verify(engineRequest)
                return VerificationResult(
                    engine: engine.engine,
                    failures: merge(answer.failures, review(answer.path, anchors, request, engine)),
                    path: answer.path)
            })
    }

    /// Parses the engine's path with the same engine and runs every rule over it.
    private func review(
        _ path: [[UInt8]], _ anchors: Set<[UInt8]>, _ request: VerificationRequest, _ engine: any PKIBackend
    ) -> [VerificationFailure] {
        var certificates = [CertificateInfo]()
        for (depth, der) in (path.isEmpty ? [request.leaf] : path).enumerated() {
            do {
                certificates.append(try engine.parseCertificate(der: der))
            } catch {
                return [
                    .policy(.malformed, "the certificate at depth \(depth) cannot be parsed: \(error)", depth: depth)
                ]
            }
        }
        var crls = [CRLInfo]()
        var failures = [VerificationFailure]()
        for der in request.crls {
            do {
                crls.append(try engine.parseCRL(der: der))
            } catch {
                failures.append(.policy(.invalidCRL, "a CRL cannot be parsed: \(error)", depth: nil))
            }
        }
        let review = PathUnderReview(
            certificates: certificates, endsAtTrustAnchor: path.count > 0 && anchors.contains(path[path.count - 1]),
            policy: request.policy, crls: crls)
        return failures
            + rules.flatMap { rule in
                rule.failures(in: review).map { failure in
                    var failure = failure
                    failure.rule = failure.rule ?? rule.id  // a rule that built its failures by hand is still named
                    return failure
                }
            }
    }

    /// The engine's failures, then the rules' failures that add a reason or a depth the engine did not report
    /// (GnuTLS names no depth, so the rule's more precise record is kept beside it).
    private func merge(_ engine: [VerificationFailure], _ rules: [VerificationFailure]) -> [VerificationFailure] {
        engine
            + rules.filter { rule in
                !engine.contains { $0.reason == rule.reason && $0.depth == rule.depth }
            }
    }
}
