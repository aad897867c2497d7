import DBPKITestSupport
import Foundation
import Testing

@Suite("dbpki verify chain, as a user runs it")
struct VerifyChainCLITests {
    static let backends = ["openssl", "gnutls", "both"]
    static let inWindow = "2030-01-01T00:00:00Z"

    func verify(_ extra: [String], leaf: String = "chain/db1.example.com.crt") throws -> CLIRunner.Outcome {
        try CLIRunner.run(
            [
                "verify", "chain", CLIRunner.testdata(leaf), "--trust", CLIRunner.testdata("chain/root.crt"),
                "--untrusted", CLIRunner.testdata("chain/intermediate.crt"), "--at", Self.inWindow,
            ] + extra)
    }

    @Test("a good chain is valid for its name and its IPs", arguments: backends)
    func goodChainIsValid(backend: String) throws {
        for peer in [["--host", "db1.example.com"], ["--ip", "127.0.0.1"], ["--ip", "::1"], []] {
            let outcome = try verify(peer + ["--backend", backend])
            #expect(outcome.status == 0, "\(peer): \(outcome.stderr)")
            #expect(outcome.stdout.hasPrefix("valid: CN=db1.example.com"))
            #expect(outcome.stderr.isEmpty)
        }
    }

    @Test("a wrong name, IP, time, purpose or root is invalid with its reason", arguments: backends)
    func badQuestionsAreInvalid(backend: String) throws {
        let cases: [([String], String)] = [
            (["--host", "db2.example.com"], "hostname-mismatch"),
            (["--ip", "10.0.0.1"], "ip-mismatch"),
            (["--at", "2050-01-01T00:00:00Z"], "expired"),
            (["--purpose", "client"], "purpose-mismatch"),
        ]
        for (extra, reason) in cases {
            let outcome = try verify(extra + ["--backend", backend])
            #expect(outcome.status == 1, "\(extra)")
            #expect(outcome.stdout.isEmpty)
            #expect(outcome.stderr.contains(reason), "\(extra): \(outcome.stderr)")
        }
        let stranger = try CLIRunner.run([
            "verify", "chain", CLIRunner.testdata("chain/db1.example.com.crt"), "--trust",
            CLIRunner.testdata("chain/other-root.crt"), "--untrusted", CLIRunner.testdata("chain/intermediate.crt"),
            "--at", Self.inWindow, "--backend", backend,
        ])
        #expect(stranger.status == 1)
        #expect(stranger.stderr.contains("untrusted"), "\(stranger.stderr)")
    }

    @Test("a client certificate is valid for the client purpose", arguments: backends)
    func clientPurpose(backend: String) throws {
        let outcome = try verify(["--purpose", "client", "--backend", backend], leaf: "chain/app-client.crt")
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test("the intermediates may follow the leaf in one file")
    func leafFileMayCarryTheChain() throws {
        let scratch = try ScratchFolder()
        let bundle = try scratch.write(
            "bundle.pem", try TestData.bytes("chain/db1.example.com.crt") + TestData.bytes("chain/intermediate.crt"))
        let outcome = try CLIRunner.run([
            "verify", "chain", bundle, "--trust", CLIRunner.testdata("chain/root.crt"), "--at", Self.inWindow,
            "--host", "db1", "--backend", "both",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test("--json prints a record with each engine's verdict")
    func jsonRecord() throws {
        let outcome = try verify(["--host", "db2.example.com", "--backend", "both", "--json"])
        #expect(outcome.status == 1)
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(record["valid"] as? Bool == false)
        #expect(record["subject"] as? String == "CN=db1.example.com")
        #expect((record["fingerprint_sha256"] as? String)?.count == 64)
        let engines = try #require(record["engines"] as? [[String: Any]])
        #expect(engines.map { $0["engine"] as? String } == ["openssl", "gnutls"])
        for engine in engines {
            let failures = try #require(engine["failures"] as? [[String: Any]])
            #expect(failures.contains { $0["reason"] as? String == "hostname-mismatch" })
        }
    }

    @Test("each failure of dbpki's own rules names its rule, in --json and in the text", arguments: backends)
    func failuresNameTheirRule(backend: String) throws {
        let outcome = try verify(["--max-intermediates", "0", "--backend", backend, "--json"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        for engine in try #require(record["engines"] as? [[String: Any]]) {
            let failures = try #require(engine["failures"] as? [[String: Any]])
            #expect(failures.map { $0["rule"] as? String } == ["intermediate-count"], "\(failures)")
            #expect(failures.map { $0["reason"] as? String } == ["path-length-exceeded"], "\(failures)")
        }
        let text = try verify(["--max-intermediates", "0", "--backend", backend])
        #expect(text.status == 1)
        #expect(
            text.stderr.contains("): [intermediate-count] path-length-exceeded at depth 1: dbpki policy: "),
            "\(text.stderr)")

        // What an engine finds itself names no rule.
        let mismatch = try verify(["--host", "db2.example.com", "--backend", backend, "--json"])
        let engines = try #require(
            (try JSONSerialization.jsonObject(with: Data(mismatch.stdout.utf8)) as? [String: Any])?["engines"]
                as? [[String: Any]])
        for engine in engines {
            let failures = try #require(engine["failures"] as? [[String: Any]])
            #expect(!failures.isEmpty && failures.allSatisfy { $0["rule"] == nil }, "\(failures)")
        }
    }

    @Test("usage and input errors are one error line and an exit code of 64 or more")
    func errorsFollowTheContract() throws {
        let cases: [([String], Int32)] = [
            (["verify", "chain", "/nonexistent.crt", "--trust", CLIRunner.testdata("chain/root.crt")], 66),
            (
                ["verify", "chain", CLIRunner.testdata("README.md"), "--trust", CLIRunner.testdata("chain/root.crt")],
                65
            ),
            (
                [
                    "verify", "chain", CLIRunner.testdata("chain/root.key"), "--trust",
                    CLIRunner.testdata("chain/root.crt"),
                ], 65
            ),
            (["verify", "chain", CLIRunner.testdata("chain/root.crt"), "--trust", CLIRunner.testdata("chain")], 65),
            (["verify", "chain", "x.crt", "--trust", "ca.crt", "--host", "127.0.0.1"], 64),
            (["verify", "chain", "x.crt", "--trust", "ca.crt", "--ip", "db1.example.com"], 64),
            (["verify", "chain", "x.crt", "--trust", "ca.crt", "--host", "a", "--ip", "::1"], 64),
            (["verify", "chain", "x.crt", "--trust", "ca.crt", "--at", "tomorrow"], 64),
            (["verify", "chain", "x.crt", "--trust", "ca.crt", "--backend", "libressl"], 64),
            (["verify", "chain"], 64),
            (["frobnicate"], 64),
        ]
        for (arguments, status) in cases {
            let outcome = try CLIRunner.run(arguments)
            #expect(outcome.status == status, "\(arguments): \(outcome.stderr)")
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(arguments): \(outcome.stderr)")
            #expect(!outcome.stderr.contains("-----BEGIN"))  // never key material, at most a label name
        }
    }
}

@Suite("dbpki version")
struct VersionCLITests {
    @Test("version names both engines' libraries")
    func versionNamesBothEngines() throws {
        let outcome = try CLIRunner.run(["version"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("openssl: OpenSSL 3."))
        #expect(outcome.stdout.contains("gnutls: GnuTLS 3."))
        let one = try CLIRunner.run(["version", "--backend", "gnutls"])
        #expect(one.status == 0 && one.stdout.contains("gnutls: GnuTLS 3.") && !one.stdout.contains("openssl:"))
    }
}
