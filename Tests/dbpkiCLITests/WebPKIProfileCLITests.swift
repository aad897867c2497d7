import DBPKITestSupport
import Foundation
import Testing

/// `verify chain --profile webpki`: each fixture in testdata/webpki breaks one Baseline
/// Requirements rule and is valid under the default profile; the failure names the rule.
@Suite("verify chain --profile webpki applies the Baseline Requirements' certificate profile")
struct WebPKIProfileCLITests {
    static let backends = ["openssl", "gnutls", "both"]

    /// Fixture and the rule id its webpki failure carries.
    static let broken: [(String, String)] = [
        ("cn-not-in-san", "webpki-common-name"), ("cn-ipv4-leading-zeros", "webpki-common-name"),
        ("cn-unicode-for-punycode", "webpki-common-name"), ("no-eku", "webpki-extended-key-usage"),
        ("any-eku", "webpki-extended-key-usage"), ("critical-eku", "webpki-extended-key-usage"),
        ("rsa-2052", "webpki-algorithms"), ("p224", "webpki-algorithms"),
        ("san-critical-with-subject", "webpki-end-entity"), ("aia-empty", "webpki-authority-info-access"),
        ("aki-issuer-serial", "webpki-key-identifiers"),
    ]

    static func fixture(_ name: String) -> String { CLIRunner.testdata("webpki/\(name).crt") }

    func verify(_ name: String, profile: String?, backend: String, _ extra: [String] = []) throws -> CLIRunner.Outcome {
        try CLIRunner.run(
            ["verify", "chain", Self.fixture(name), "--trust", Self.fixture("root"), "--at", "2030-01-01T00:00:00Z"]
                + (profile.map { ["--profile", $0] } ?? []) + ["--backend", backend] + extra)
    }

    @Test(
        "each broken leaf is valid under rfc5280 and invalid under webpki, naming the rule it breaks",
        arguments: backends)
    func brokenLeaves(backend: String) throws {
        for (name, rule) in Self.broken {
            let plain = try verify(name, profile: nil, backend: backend)
            #expect(plain.status == 0, "\(name) under rfc5280: \(plain.stderr)")
            let strict = try verify(name, profile: "webpki", backend: backend)
            #expect(strict.status == 1, "\(name) under webpki: \(strict.stderr)")
            #expect(strict.stderr.contains("[\(rule)]"), "\(name): \(strict.stderr)")
        }
    }

    @Test("a sound leaf is valid under both profiles, and the JSON names the webpki rule", arguments: backends)
    func soundLeafAndJSON(backend: String) throws {
        for profile in ["rfc5280", "webpki"] {
            let outcome = try verify("good", profile: profile, backend: backend, ["--host", "db1.example.com"])
            #expect(outcome.status == 0, "\(profile): \(outcome.stderr)")
        }
        let json = try verify("no-eku", profile: "webpki", backend: backend, ["--json"])
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let engines = report?["engines"] as? [[String: Any]] ?? []
        #expect(!engines.isEmpty)
        for engine in engines {
            let rules = (engine["failures"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
            #expect(rules.contains("webpki-extended-key-usage"), "\(json.stdout)")
        }
    }

    @Test("a leaf that is a CA and a wildcard over a top-level domain are invalid under webpki", arguments: backends)
    func endEntityShape(backend: String) throws {
        let ca = try verify("ee-is-ca", profile: "webpki", backend: backend)
        #expect(ca.status == 1, "\(ca.stderr)")
        let wildcard = try verify("wildcard-tld", profile: "webpki", backend: backend)
        #expect(wildcard.status == 1 && wildcard.stderr.contains("[webpki-wildcard-scope]"), "\(wildcard.stderr)")
    }

    @Test(
        "a non-critical nameConstraints that permits the leaf is accepted by webpki, refused by rfc5280",
        arguments: backends)
    func nonCriticalNameConstraints(backend: String) throws {
        let extra = ["--untrusted", Self.fixture("nc-noncritical-ca"), "--host", "db1.example.com"]
        let strict = try verify("nc-noncritical-leaf", profile: "webpki", backend: backend, extra)
        #expect(strict.status == 0, "\(strict.stderr)")
        let plain = try verify("nc-noncritical-leaf", profile: "rfc5280", backend: backend, extra)
        #expect(plain.status == 1 && plain.stderr.contains("[extension-criticality]"), "\(plain.stderr)")
    }

    @Test("audit --profile webpki reports each broken certificate under the same rule id verify chain names")
    func auditUsesTheSameRules() throws {
        func findings(_ extra: [String]) throws -> [String: [String]] {
            let outcome = try CLIRunner.run(
                ["audit", CLIRunner.testdata("webpki"), "--format", "json", "--at", "2030-01-01T00:00:00Z"] + extra)
            #expect(outcome.status == 2, "\(outcome.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
            var byFile = [String: [String]]()
            for certificate in report?["certificates"] as? [[String: Any]] ?? [] {
                let location = (certificate["locations"] as? [String])?.first ?? ""
                let name = URL(fileURLWithPath: location).deletingPathExtension().lastPathComponent
                byFile[name] = (certificate["findings"] as? [String] ?? []).filter { $0.hasPrefix("webpki-") }
            }
            return byFile
        }
        let strict = try findings(["--profile", "webpki"])
        for (name, rule) in Self.broken {
            #expect(strict[name] == [rule], "\(name): \(strict[name] ?? [])")
        }
        #expect(strict["good"] == [] && strict["root"] == [] && strict["nc-noncritical-leaf"] == [], "\(strict)")
        let plain = try findings([])
        let anyWebPKIFinding = plain.values.contains { !$0.isEmpty }
        #expect(!anyWebPKIFinding, "\(plain)")
    }

    @Test("an unknown profile is a usage error")
    func unknownProfile() throws {
        let outcome = try verify("good", profile: "cabf", backend: "openssl")
        #expect(outcome.status == 64 && outcome.stderr.hasPrefix("error: "), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("rfc5280, webpki"), "\(outcome.stderr)")
    }
}
