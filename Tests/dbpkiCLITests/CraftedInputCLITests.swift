import DBPKITestSupport
import Foundation
import Testing

/// Hostile inputs through the binary: every one ends in an invalid verdict (exit 1) or one
/// `error:` line (exit 64 or more), on every backend; never a crash, never a silent accept.
@Suite("dbpki with crafted hostile input, as a user runs it")
struct CraftedInputCLITests {
    static let backends = ["openssl", "gnutls", "both"]
    static let inWindow = "2030-01-01T00:00:00Z"

    static func crafted(_ name: String) -> String { CLIRunner.testdata("crafted/" + name) }

    /// Exit 1 with `invalid` lines, or 64+ with exactly one `error:` line; returns stderr.
    @discardableResult
    static func expectRefused(_ outcome: CLIRunner.Outcome, _ what: String) -> String {
        #expect(outcome.status == 1 || outcome.status >= 64 && outcome.status < 80, "\(what): exit \(outcome.status)")
        if outcome.status == 1 {
            #expect(outcome.stdout.isEmpty, "\(what): \(outcome.stdout)")
            #expect(
                outcome.stderr.contains("invalid") || outcome.stderr.contains("unfit"), "\(what): \(outcome.stderr)")
        } else {
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(what): \(outcome.stderr)")
        }
        return outcome.stderr
    }

    func verify(_ leaf: String, _ extra: [String] = [], trust: String = crafted("root.crt")) throws -> CLIRunner.Outcome
    {
        try CLIRunner.run(["verify", "chain", leaf, "--trust", trust, "--at", Self.inWindow] + extra)
    }

    @Test("the crafted certificates are invalid on every backend; the control is valid", arguments: backends)
    func craftedCertificates(backend: String) throws {
        let good = try verify(Self.crafted("good.crt"), ["--host", "db1.example.com", "--backend", backend])
        #expect(good.status == 0, "\(good.stderr)")
        let expectations = [
            ("nul-in-san.crt", "dNSName"), ("negative-serial.crt", "negative serial"),
            ("zero-serial.crt", "serial number zero"), ("unknown-critical-extension.crt", "critical"),
            ("non-utf8-name.crt", ""),
        ]
        for (name, reason) in expectations {
            for host in ["db1.example.com", "evil.com"] {
                let outcome = try verify(Self.crafted(name), ["--host", host, "--backend", backend])
                let stderr = Self.expectRefused(outcome, "\(name) \(host)")
                #expect(reason.isEmpty || stderr.contains(reason), "\(name): \(stderr)")
            }
        }
        let nonUTF8 = try verify(Self.crafted("non-utf8-name.crt"), ["--backend", backend])
        // OpenSSL refuses to decode it ("invalid utf8string"); GnuTLS decodes it and dbpki's name rule rejects it.
        #expect(nonUTF8.stderr.lowercased().contains("utf8string"), "\(nonUTF8.stderr)")
    }

    @Test(
        "a certificate an engine refuses to decode is an invalid verdict with the reason (exit 1), a file without one exit 65",
        arguments: backends)
    func undecodableIsAVerdict(backend: String) throws {
        // OpenSSL refuses to decode a UTF8String that is not UTF-8; GnuTLS decodes it and dbpki's name rule rejects it.
        let text = try verify(Self.crafted("non-utf8-name.crt"), ["--backend", backend])
        #expect(text.status == 1, "\(text.stderr)")
        #expect(
            text.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("invalid (") || $0.hasPrefix("disagreement") })
        #expect(text.stderr.contains("malformed") || text.stderr.contains("name-encoding"), "\(text.stderr)")
        let json = try verify(Self.crafted("non-utf8-name.crt"), ["--backend", backend, "--json"])
        #expect(json.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(report?["valid"] as? Bool == false, "\(json.stdout)")
        #expect((report?["fingerprint_sha256"] as? String)?.count == 64)
        let nothing = try verify(CLIRunner.testdata("README.md"), ["--backend", backend])
        #expect(nothing.status == 65 && nothing.stderr.hasPrefix("error: "), "\(nothing.stderr)")
    }

    @Test("inspect shows crafted certificates without crashing and without raw NUL bytes")
    func inspectCrafted() throws {
        for name in ["nul-in-san.crt", "negative-serial.crt", "zero-serial.crt", "unknown-critical-extension.crt"] {
            for backend in ["openssl", "gnutls"] {
                let outcome = try CLIRunner.run(["inspect", Self.crafted(name), "--backend", backend])
                #expect(outcome.status == 0 || outcome.status >= 64, "\(name) \(backend): \(outcome.stderr)")
                #expect(!outcome.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(name) \(backend)")
                if name == "nul-in-san.crt" { #expect(outcome.stdout.contains("DNS:db1.example.com\\x00.evil.com")) }
            }
        }
    }

    @Test("a file over 16 MiB is refused for every file option", arguments: backends)
    func oversized(backend: String) throws {
        let scratch = try ScratchFolder()
        let big = scratch.file("big.pem")
        var padding = try Data(contentsOf: URL(fileURLWithPath: CLIRunner.testdata("chain/root.crt")))
        padding.append(Data(repeating: 0x0a, count: (16 << 20) + 1 - padding.count))
        try padding.write(to: URL(fileURLWithPath: big))
        let root = CLIRunner.testdata("chain/root.crt")
        let leaf = CLIRunner.testdata("chain/db1.example.com.crt")
        let runs: [[String]] = [
            ["verify", "chain", big, "--trust", root],
            ["verify", "chain", leaf, "--trust", big],
            ["verify", "chain", leaf, "--trust", root, "--untrusted", big],
            ["verify", "chain", leaf, "--trust", root, "--crl", big],
            ["verify", "bundle", big],
            ["verify", "bundle", root, "--server-cert", big],
        ]
        for arguments in runs {
            let outcome = try CLIRunner.run(arguments + ["--backend", backend])
            #expect(outcome.status == 65, "\(arguments): \(outcome.stderr)")
            #expect(Self.expectRefused(outcome, "\(arguments)").contains("larger than 16 MiB"))
        }
    }

    @Test("truncated input and wrong PEM labels are one clear error", arguments: backends)
    func truncatedAndMislabelled(backend: String) throws {
        let scratch = try ScratchFolder()
        let pem = try String(contentsOfFile: Self.crafted("good.crt"), encoding: .utf8)
        let der = try Data(contentsOf: URL(fileURLWithPath: Self.crafted("good.der")))
        func write(_ name: String, _ text: String) throws -> String {
            try text.write(toFile: scratch.file(name), atomically: true, encoding: .utf8)
            return scratch.file(name)
        }
        let twoDER = scratch.file("two.der")
        try (der + der).write(to: URL(fileURLWithPath: twoDER))
        func relabel(_ label: String) -> String {
            pem.replacingOccurrences(of: "CERTIFICATE-----", with: label + "-----")
        }
        let cases: [(String, [String], String)] = [
            ("truncated DER", [Self.crafted("good-truncated.der")], "not PEM or DER"),
            ("PEM without END", [try write("no-end.pem", pem.components(separatedBy: "-----END")[0])], "truncated"),
            ("two DER certificates", [twoDER], "not PEM or DER"),
            ("a CRL label as LEAF", [try write("crl.pem", relabel("X509 CRL"))], "found: X509 CRL"),
            ("a key label as LEAF", [try write("key.pem", relabel("PRIVATE KEY"))], "found: PRIVATE KEY"),
            (
                "TRUSTED CERTIFICATE as LEAF", [try write("trusted.pem", relabel("TRUSTED CERTIFICATE"))],
                "trust settings"
            ),
            (
                "TRUSTED CERTIFICATE as --trust",
                [Self.crafted("good.crt"), "--trust", try write("trusted-root.pem", relabel("TRUSTED CERTIFICATE"))],
                "trust settings"
            ),
            ("a certificate as --crl", [Self.crafted("good.crt"), "--crl", Self.crafted("good.crt")], "no CRL"),
        ]
        for (what, arguments, message) in cases {
            var full = ["verify", "chain"] + arguments
            if !arguments.contains("--trust") { full += ["--trust", Self.crafted("root.crt")] }
            let outcome = try CLIRunner.run(full + ["--at", Self.inWindow, "--backend", backend])
            #expect(outcome.status >= 64, "\(what): exit \(outcome.status) \(outcome.stderr)")
            #expect(Self.expectRefused(outcome, what).contains(message), "\(what): \(outcome.stderr)")
        }
    }

    @Test("one certificate expected: LEAF and --server-cert take the first, the rest are intermediates")
    func firstCertificateIsTheOne() throws {
        let scratch = try ScratchFolder()
        let leaf = try String(contentsOfFile: CLIRunner.testdata("chain/db1.example.com.crt"), encoding: .utf8)
        let intermediate = try String(contentsOfFile: CLIRunner.testdata("chain/intermediate.crt"), encoding: .utf8)
        let serverChain = scratch.file("server-chain.pem")
        try (leaf + intermediate).write(toFile: serverChain, atomically: true, encoding: .utf8)
        let reversed = scratch.file("reversed.pem")
        try (intermediate + leaf).write(toFile: reversed, atomically: true, encoding: .utf8)
        let root = CLIRunner.testdata("chain/root.crt")
        for backend in Self.backends {
            let fit = try CLIRunner.run([
                "verify", "bundle", root, "--server-cert", serverChain, "--host", "db1.example.com", "--at",
                Self.inWindow, "--backend", backend,
            ])
            #expect(fit.status == 0, "\(backend): \(fit.stderr)")
            let alone = try CLIRunner.run([
                "verify", "bundle", root, "--server-cert", CLIRunner.testdata("chain/db1.example.com.crt"), "--host",
                "db1.example.com", "--at", Self.inWindow, "--backend", backend,
            ])
            #expect(alone.status == 1, "\(backend): without its intermediate the server certificate has no path")
            let first = try CLIRunner.run([
                "verify", "chain", reversed, "--trust", root, "--at", Self.inWindow, "--backend", backend, "--json",
            ])
            let record = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
            #expect(record["subject"] as? String == "CN=dbpki testdata Issuing CA", "LEAF is the first certificate")
        }
    }
}
