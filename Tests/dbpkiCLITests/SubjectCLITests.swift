import DBPKITestSupport
import Foundation
import Testing

@Suite("dbpki init and issue --subject, issue --member, and renew keeping the validity length")
struct SubjectCLITests {
    static let backends = ["openssl", "gnutls"]

    @Test("init and issue put --subject's attributes before the CN, and renew keeps them", arguments: backends)
    func subjects(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let created = try succeed([
            "init", "--dir", pki, "--name", "Acme DB CA", "--subject", "O=Acme,OU=Databases", "--backend", backend,
        ])
        #expect(created.stdout.contains("'CN=Acme DB CA,OU=Databases,O=Acme'"))
        let issued = try succeed([
            "issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--subject", #"O=Acme\, Inc.,OU=Databases,C=DE"#,
            "--backend", backend,
        ])
        #expect(issued.stdout.contains(#"'CN=db1,C=DE,OU=Databases,O=Acme\, Inc.'"#))
        let renewed = try succeed(["renew", "db1", "--dir", pki, "--backend", backend])
        #expect(renewed.stdout.contains(#"'CN=db1,C=DE,OU=Databases,O=Acme\, Inc.'"#))
        #expect(renewed.stdout.contains("signed by 'CN=Acme DB CA,OU=Databases,O=Acme'"))
    }

    @Test(
        "--member makes a serverAuth and clientAuth certificate listed as a server, and renew keeps it a member",
        arguments: backends)
    func member(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "Acme DB CA", "--backend", backend])
        let issued = try succeed([
            "issue", "rs0-a", "--dir", pki, "--member", "--subject", "O=Acme,OU=Databases", "--dns",
            "rs0-a.example.com",
            "--backend", backend,
        ])
        #expect(issued.stdout.hasPrefix("issued member certificate 'CN=rs0-a,OU=Databases,O=Acme'"))
        for _ in 0..<2 {
            let shown = try succeed(["inspect", pki + "/issued/rs0-a.crt", "--json"])
            #expect(shown.stdout.contains("1.3.6.1.5.5.7.3.1") || shown.stdout.contains("serverAuth"))
            #expect(shown.stdout.contains("1.3.6.1.5.5.7.3.2") || shown.stdout.contains("clientAuth"))
            let record = try #require(try inventory(pki).first { $0["name"] as? String == "rs0-a" })
            #expect(record["kind"] as? String == "server")
            for purpose in ["server", "client"] {
                try succeed([
                    "verify", "chain", pki + "/issued/rs0-a.crt", "--trust", pki + "/ca.crt", "--purpose", purpose,
                    "--backend", backend,
                ])
            }
            try succeed(["renew", "rs0-a", "--dir", pki, "--backend", backend])
        }
    }

    @Test(
        "a bad --subject or --member without O, OU or DC is one error line, exit 64, and nothing written",
        arguments: [
            ["--subject", "X=1"], ["--subject", "O="], ["--subject", "CN=db1"], ["--subject", "O=a+OU=b"],
            ["--member"], ["--member", "--subject", "C=DE"], ["--member", "--client", "--subject", "O=Acme"],
        ])
    func refusals(flags: [String]) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        if !flags.contains("--member") {
            let refused = try CLIRunner.run(["init", "--dir", pki, "--name", "CA"] + flags)
            #expect(refused.status == 64 && refused.stderr.hasPrefix("error: ") && refused.stdout.isEmpty)
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: pki))
        }
        try succeed(["init", "--dir", pki, "--name", "CA"])
        let refused = try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"] + flags)
        #expect(refused.status == 64 && refused.stderr.hasPrefix("error: ") && refused.stdout.isEmpty)
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pki + "/issued/db1.crt"))
        #expect(!FileManager.default.fileExists(atPath: pki + "/issued/db1.key"))
    }

    /// notAfter − notBefore of a certificate, from `inspect --json`.
    static func length(_ path: String) throws -> TimeInterval {
        let shown = try succeed(["inspect", path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let certificate = (object["certificates"] as? [[String: Any]])?.first ?? object
        let format = ISO8601DateFormatter()
        let notBefore = try #require((certificate["not_before"] as? String).flatMap(format.date(from:)))
        let notAfter = try #require((certificate["not_after"] as? String).flatMap(format.date(from:)))
        return notAfter.timeIntervalSince(notBefore)
    }

    @Test("renew keeps a 20-day certificate at 20 days, and --days overrides it", arguments: backends)
    func renewLength(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        let certificate = pki + "/issued/db1.crt"
        try succeed(["init", "--dir", pki, "--name", "CA", "--backend", backend])
        try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--days", "20", "--backend", backend])
        #expect(try Self.length(certificate) == 20 * 86_400 + 60)
        try succeed(["renew", "db1", "--dir", pki, "--backend", backend])
        #expect(try Self.length(certificate) == 20 * 86_400 + 60)
        try succeed(["renew", "db1", "--dir", pki, "--days", "7", "--backend", backend])
        #expect(try Self.length(certificate) == 7 * 86_400 + 60)
        try succeed(["renew", "db1", "--dir", pki, "--backend", backend])
        #expect(try Self.length(certificate) == 7 * 86_400 + 60)
    }

    @Test("renew --expiring-within refuses to keep a length inside the window, which would be due again at once")
    func renewExpiringTooShort() throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "CA"])
        try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--days", "20"])
        let before = try String(contentsOfFile: pki + "/issued/db1.crt", encoding: .utf8)
        for flags in [[], ["--days", "30"]] {
            let refused = try CLIRunner.run(["renew", "--expiring-within", "30d", "--dir", pki] + flags)
            #expect(refused.status == 64 && refused.stderr.hasPrefix("error: ") && refused.stdout.isEmpty)
            #expect(refused.stderr.contains("db1 \(flags.isEmpty ? 20 : 30) days"), "\(refused.stderr)")
            #expect(try String(contentsOfFile: pki + "/issued/db1.crt", encoding: .utf8) == before)
        }
        let renewed = try succeed(["renew", "--expiring-within", "30d", "--dir", pki, "--days", "31"])
        #expect(renewed.stdout.hasPrefix("renewed db1:"))
        #expect(try Self.length(pki + "/issued/db1.crt") == 31 * 86_400 + 60)
    }
}
