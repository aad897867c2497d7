import DBPKI
import DBPKITestSupport
import Foundation
import Testing

/// One x509-limbo test case, with the fields dbpki's policy can express.
struct LimboCase: Decodable, Sendable {
    struct PeerName: Decodable, Sendable {
        let kind: String
        let value: String
    }

    let id: String
    let validationKind: String
    let trustedCerts: [String]
    let untrustedIntermediates: [String]
    let peerCertificate: String
    let validationTime: String?
    let signatureAlgorithms: [String]?
    let keyUsage: [String]?
    let extendedKeyUsage: [String]?
    let expectedResult: String
    let expectedPeerName: PeerName?
    let maxChainDepth: Int?
    let crls: [String]?

    /// Why dbpki's policy cannot ask this case's question, or nil when it can.
    var inexpressibleBecause: String? {
        guard let purpose else { return "validation kind \(validationKind)" }
        if !(signatureAlgorithms ?? []).isEmpty { return "signature algorithm restrictions" }
        if !(keyUsage ?? []).isEmpty { return "key usage requirements" }
        let eku = extendedKeyUsage ?? []
        if !eku.isEmpty && eku != [purpose == .server ? "serverAuth" : "clientAuth"] { return "EKU \(eku)" }
        if let kind = expectedPeerName?.kind, kind != "DNS" && kind != "IP" { return "peer name kind \(kind)" }
        return nil
    }

    var purpose: VerificationPolicy.Purpose? {
        switch validationKind {
        case "SERVER": .server
        case "CLIENT": .client
        default: nil
        }
    }

    var expectsSuccess: Bool { expectedResult == "SUCCESS" }

    /// The case as a verification request; throws when its PEM cannot be decoded.
    func request() throws -> VerificationRequest {
        func certificates(_ pems: [String]) throws -> [[UInt8]] {
            try pems.flatMap { try CertificateDecoder.certificates(from: Array($0.utf8)) }
        }
        var policy = VerificationPolicy(purpose: purpose, maxIntermediates: maxChainDepth)
        if let validationTime { policy.time = try RFC3339.parse(validationTime) }
        switch expectedPeerName?.kind {
        case "DNS": policy.peer = .dns(expectedPeerName!.value)
        case "IP":
            guard let address = IPAddress(expectedPeerName!.value) else {
                throw PKIError(.invalidInput, "bad IP \(expectedPeerName!.value)")
            }
            policy.peer = .ip(address)
        default: break
        }
        return VerificationRequest(
            leaf: try certificates([peerCertificate])[0], intermediates: try certificates(untrustedIntermediates),
            trustAnchors: try certificates(trustedCerts),
            crls: try (crls ?? []).flatMap { try CertificateDecoder.crls(from: Array($0.utf8)) }, policy: policy)
    }
}

/// The vendored suite and the checked-in list of known deviations.
enum Limbo {
    static let folder = TestData.url("x509-limbo")

    static func cases() throws -> [LimboCase] {
        struct Suite: Decodable { let testcases: [LimboCase] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let data = try Data(contentsOf: folder.appendingPathComponent("limbo.json"))
        return try decoder.decode(Suite.self, from: data).testcases
    }

    /// `engine<TAB>case id<TAB>reason` lines; `#` starts a comment.
    static func knownDeviations() throws -> [String: Set<String>] {
        let text = try String(contentsOf: folder.appendingPathComponent("known-deviations.tsv"), encoding: .utf8)
        var byEngine = [String: Set<String>]()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, !fields[2].trimmingCharacters(in: .whitespaces).isEmpty else {
                Issue.record("known-deviations.tsv: '\(line)' needs engine, case id and a reason")
                continue
            }
            byEngine[String(fields[0]), default: []].insert(String(fields[1]))
        }
        return byEngine
    }

    /// dbpki's verdict with these engines: valid, or not (an input it cannot decode is a rejection).
    static func verdict(_ limboCase: LimboCase, on engines: [any PKIBackend]) -> (valid: Bool, detail: String) {
        do {
            let outcome = try ChainVerifier(engines: engines).verify(limboCase.request())
            let failures = outcome.results.flatMap { result in result.failures.map { "\(result.engine) \($0)" } }
            return (outcome.isValid, failures.joined(separator: "; "))
        } catch {
            return (false, "error: \(error)")
        }
    }

    /// The engine's own verdict, without dbpki's profile rules (reported for comparison only).
    static func engineOnlyVerdict(_ limboCase: LimboCase, on backend: any PKIBackend) -> Bool {
        (try? backend.verify(limboCase.request()).isValid) ?? false
    }
}

@Suite("x509-limbo")
struct LimboTests {
    @Test("every expressible case gets its expected verdict, apart from the listed deviations")
    func limboVerdicts() throws {
        let cases = try Limbo.cases()
        let known = try Limbo.knownDeviations()
        let expressible = cases.filter { $0.inexpressibleBecause == nil }
        var verdicts = [String: [String: (valid: Bool, detail: String)]]()  // engine -> id -> verdict
        var summary = ["x509-limbo: \(expressible.count) of \(cases.count) cases expressible"]
        for engine in EngineUnderTest.all {
            var engineOnly = 0
            for limboCase in expressible {
                verdicts[engine.backend.engine.name, default: [:]][limboCase.id] = Limbo.verdict(
                    limboCase, on: [engine.backend])
                if Limbo.engineOnlyVerdict(limboCase, on: engine.backend) == limboCase.expectsSuccess {
                    engineOnly += 1
                }
            }
            summary.append(
                "  \(engine.backend.engine) engine alone, without dbpki's rules: \(engineOnly)/\(expressible.count)")
        }
        verdicts["both"] = Dictionary(
            uniqueKeysWithValues: expressible.map { ($0.id, Limbo.verdict($0, on: EngineUnderTest.all.map(\.backend))) }
        )

        for engine in EngineUnderTest.all.map(\.backend.engine.name) + ["both"] {
            let listed = known[engine] ?? []
            var passed = 0
            for limboCase in expressible {
                let verdict = verdicts[engine]![limboCase.id]!
                let deviates = verdict.valid != limboCase.expectsSuccess
                if !deviates { passed += 1 }
                if deviates && !listed.contains(limboCase.id) {
                    Issue.record(
                        "\(engine) \(limboCase.id): expected \(limboCase.expectedResult), got \(verdict.valid ? "valid" : "invalid") \(verdict.detail)"
                    )
                }
                if !deviates && listed.contains(limboCase.id) {
                    Issue.record("\(engine) \(limboCase.id) is listed as a known deviation but now passes: remove it")
                }
            }
            for id in listed where !expressible.contains(where: { $0.id == id }) {
                Issue.record("known deviation \(engine) \(id) is not an expressible case")
            }
            summary.append(
                "  dbpki --backend \(engine): \(passed)/\(expressible.count) as expected, \(listed.count) known deviations"
            )
        }
        print(summary.joined(separator: "\n"))
    }
}
