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
        return CrossCheckedVerification(
            results: try engines.map { engine in try judgeWithAlternatives(engineRequest, request, engine) })
    }

    /// At most this many extra paths are asked of an engine after its first path fails: enough
    /// to step around a cross-signed or constrained intermediate or two, and a hard stop for a
    /// hostile pile of cross-certificates.
    static let alternativePathBudget = 8

    /// The engine's first path, judged; when it fails for a reason another path could avoid,
    /// the engine is asked again without one of that path's intermediates at a time (breadth
    /// first, within ``alternativePathBudget``), and the first path that passes is the answer.
    /// RFC 5280 asks whether some valid path exists; OpenSSL's builder stops at its first
    /// (after a name-constraints failure, say) where a valid one goes through another CA.
    private func judgeWithAlternatives(
        _ engineRequest: VerificationRequest, _ request: VerificationRequest, _ engine: any PKIBackend
    ) throws -> VerificationResult {
        let first = try judge(engineRequest, request, engine)
        guard !first.isValid, !request.intermediates.isEmpty, Self.anotherPathCouldHelp(first) else { return first }
        var queue: [(removed: Set<[UInt8]>, path: [[UInt8]])] = [([], first.path)]
        var tried: Set<Set<[UInt8]>> = [[]]
        var asked = 0
        while !queue.isEmpty {
            let (removed, path) = queue.removeFirst()
            for candidate in path.dropFirst() where request.intermediates.contains(candidate) {
                let without = removed.union([candidate])
                guard tried.insert(without).inserted else { continue }
                guard asked < Self.alternativePathBudget else { return first }
                asked += 1
                var narrower = engineRequest
                narrower.intermediates.removeAll { without.contains($0) }
                let answer = try judge(narrower, request, engine)
                if answer.isValid { return answer }
                queue.append((without, answer.path))
            }
        }
        return first
    }

    /// False when every failure is the leaf's own (its validity, names, purpose): no other
    /// path changes those. A name-constraints failure at the leaf comes from a CA above it.
    private static func anotherPathCouldHelp(_ result: VerificationResult) -> Bool {
        result.failures.contains { $0.depth != 0 || $0.reason == .nameConstraints }
    }

    /// One engine answer, with the engine's findings the core decides itself replaced by the rules'.
    private func judge(
        _ engineRequest: VerificationRequest, _ request: VerificationRequest, _ engine: any PKIBackend
    ) throws -> VerificationResult {
        let anchors = Set(request.trustAnchors)
        let answer: VerificationResult
        do {
            answer = try engine.verify(engineRequest)
        } catch let error as PKIError where error.code == .invalidInput {
            // A certificate the engine refuses to decode (a malformed or repeated extension, mismatched
            // signature algorithms) is a verdict, not a failed question: no path through it is valid.
            let depth = (try? engine.parseCertificate(der: request.leaf)) == nil ? 0 : nil
            return VerificationResult(
                engine: engine.engine,
                failures: [VerificationFailure(reason: .malformed, message: error.message, depth: depth)], path: [])
        }
        var engineFailures = answer.failures
        if decidesNameConstraints, let last = answer.path.last, anchors.contains(last) {
            // The core's rule judged this whole path; the engine's own reading is not asked twice.
            engineFailures.removeAll { $0.reason == .nameConstraints }
        }
        return VerificationResult(
            engine: engine.engine,
            failures: merge(engineFailures, review(answer.path, anchors, request, engine)),
            path: answer.path)
    }

    /// True when the rules include ``NameConstraintsRule``, which then decides name
    /// constraints for every engine on a path that reaches a trust anchor.
    private var decidesNameConstraints: Bool { rules.contains { $0.id == NameConstraintsRule.id } }

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
