import DBPKITestSupport
import Foundation
import Testing

@Suite("dbpki bundle mongodb --client-cert, --member and --server-dir, and bundle redis --server-dir")
struct MongoDBMutualTLSCLITests {
    static let backends = ["openssl", "gnutls"]

    /// A PKI with a server db1 (O=Acme,OU=Databases), a client app (O=Acme\, Inc.,OU=Apps) and a member rs0.
    func pki(_ scratch: ScratchFolder, backend: String = "openssl") throws -> String {
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "Acme DB CA", "--backend", backend])
        try succeed([
            "issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--subject", "O=Acme,OU=Databases",
            "--backend", backend,
        ])
        try succeed([
            "issue", "app", "--dir", pki, "--client", "--subject", #"O=Acme\, Inc.,OU=Apps"#, "--backend", backend,
        ])
        try succeed([
            "issue", "rs0", "--dir", pki, "--member", "--subject", "O=Acme,OU=Databases", "--dns", "rs0.example.com",
            "--backend", backend,
        ])
        return pki
    }

    @discardableResult
    func succeed(_ arguments: [String]) throws -> CLIRunner.Outcome {
        let outcome = try CLIRunner.run(arguments)
        #expect(outcome.status == 0, "dbpki \(arguments.joined(separator: " ")): \(outcome.stderr)")
        return outcome
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test(
        "--client-cert writes CLIENT.pem (0600), requires client certificates and creates the x.509 user",
        arguments: backends)
    func clientCertificates(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = try pki(scratch, backend: backend)
        let out = scratch.file("out")
        let made = try succeed([
            "bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--client-cert", "app", "--backend", backend,
        ])
        #expect(made.stdout.contains(out + "/app.pem\n") && made.stdout.contains(out + "/server/x509-users.js\n"))
        #expect(try mode(of: out + "/app.pem") == 0o600)
        let pem = try read(out + "/app.pem")
        let issued = try read(pki + "/issued/app.crt")
        #expect(pem.hasPrefix(issued) && pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let conf = try read(out + "/server/mongod.conf")
        #expect(conf.contains("    mode: requireTLS\n") && !conf.contains("allowConnectionsWithoutCertificates"))
        let users = try read(out + "/server/x509-users.js")
        #expect(
            users.contains(
                #"printjson(db.getSiblingDB("$external").runCommand({createUser: "CN=app,OU=Apps,O=Acme\\, Inc.", roles: [{role: "readWriteAnyDatabase", db: "admin"}]}));"#
            ))
        #expect(!users.contains("PRIVATE KEY") && !made.stdout.contains("PRIVATE KEY"))
        // --x509-role replaces the default roles; --json names each user.
        let json = try succeed([
            "bundle", "mongodb", "db1", "--dir", pki, "--out", scratch.file("out2"), "--client-cert", "app",
            "--x509-role", "readWrite@orders", "--json",
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let user = try #require((object["x509_users"] as? [[String: String]])?.first)
        #expect(user == ["client": "app", "user": #"CN=app,OU=Apps,O=Acme\, Inc."#])
        #expect(
            try read(scratch.file("out2/server/x509-users.js")).contains(#"roles: [{role: "readWrite", db: "orders"}]"#)
        )
    }

    @Test("a client that cannot be shipped is one error line, the right exit status, and nothing written")
    func refusals() throws {
        let scratch = try ScratchFolder()
        let pki = try pki(scratch)
        try succeed(["issue", "web", "--dir", pki, "--dns", "web.example.com"])
        try succeed(["issue", "gone", "--dir", pki, "--client"])
        try succeed(["revoke", "gone", "--dir", pki])
        try succeed(["issue", "nokey", "--dir", pki, "--client"])
        try FileManager.default.removeItem(atPath: pki + "/issued/nokey.key")
        try succeed(["issue", "twin", "--dir", pki, "--client", "--subject", "OU=Databases,O=Acme"])
        let cases: [([String], Int32, String)] = [
            (["--client-cert", "web"], 64, "not a client certificate"),
            (["--client-cert", "gone"], 65, "revoked"),
            (["--client-cert", "nokey"], 66, "missing"),
            (["--client-cert", "nosuch"], 66, "no certificate named 'nosuch'"),
            (["--client-cert", "twin"], 65, "cluster member"),
            (["--client-cert", "app", "--client-cert", "app"], 64, "given twice"),
            (["--client-cert", "../app"], 64, "not a usable name"),
            (["--x509-role", "readWrite@a/b", "--client-cert", "app"], 64, "not a MongoDB role"),
            (["--x509-role", "read"], 64, "needs --client-cert"),
            (["--member", "web"], 64, "not a cluster member certificate"),
            (["--member", "app"], 64, "not a cluster member certificate"),
            (["--member", "rs0", "--client-cert", "rs0"], 64, "both"),
            (["--server-dir", "etc/mongod"], 64, "relative"),
            (["--server-dir", "/etc/mongod\nnet:"], 64, "control character"),
            (["--server-dir", "/etc/\"mongod"], 64, "cannot carry"),
        ]
        for (extra, status, words) in cases {
            let out = scratch.file("out")
            let refused = try CLIRunner.run(["bundle", "mongodb", "db1", "--dir", pki, "--out", out] + extra)
            #expect(refused.status == status, "\(extra): \(refused.stderr)")
            #expect(
                refused.stderr.hasPrefix("error: ") && refused.stderr.contains(words), "\(extra): \(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(extra): \(refused.stderr)")
            #expect(refused.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: out), "\(extra) wrote \(out)")
        }
        // A member whose O, OU and DC differ from the server's: the peers would not accept it.
        try succeed(["issue", "stranger", "--dir", pki, "--member", "--subject", "O=Other", "--dns", "s.example.com"])
        let stranger = try CLIRunner.run([
            "bundle", "mongodb", "db1", "--dir", pki, "--out", scratch.file("out"), "--member", "stranger",
        ])
        #expect(stranger.status == 65 && stranger.stderr.contains("cannot be a cluster member of 'db1'"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out")))
    }

    @Test(
        "--member writes MEMBER.pem (0600), names it as clusterFile and writes cluster-auth.conf", arguments: backends)
    func members(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = try pki(scratch, backend: backend)
        let out = scratch.file("out")
        try succeed(["bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--member", "rs0", "--backend", backend])
        #expect(try mode(of: out + "/server/rs0.pem") == 0o600)
        #expect(try read(out + "/server/rs0.pem").hasPrefix(try read(pki + "/issued/rs0.crt")))
        #expect(try read(out + "/server/mongod.conf").contains("    clusterFile: \"\(out)/server/rs0.pem\"\n"))
        #expect(try read(out + "/server/cluster-auth.conf").hasSuffix("security:\n  clusterAuthMode: x509\n"))
        // The server certificate itself may be the member: mongod then presents NAME.pem to its peers too.
        let own = scratch.file("own")
        try succeed([
            "bundle", "mongodb", "rs0", "--dir", pki, "--out", own, "--member", "rs0", "--mongodb-version", "4.0",
        ])
        #expect(try read(own + "/server/mongod.conf").contains("    clusterFile: \"\(own)/server/rs0.pem\"\n"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: own + "/server").filter { $0.hasSuffix(".pem") } == [
                "rs0.pem"
            ])
    }

    @Test("--server-dir names the install directory in every config, the files still go to OUT/server")
    func serverDirectory() throws {
        let scratch = try ScratchFolder()
        let pki = try pki(scratch)
        let mongo = scratch.file("mongo")
        try succeed([
            "bundle", "mongodb", "db1", "--dir", pki, "--out", mongo, "--client-cert", "app", "--member", "rs0",
            "--server-dir", "/etc/mongod tls/",
        ])
        let conf = try read(mongo + "/server/mongod.conf")
        for file in ["db1.pem", "ca.crt", "rs0.pem"] {
            #expect(conf.contains("\"/etc/mongod tls/\(file)\""))
            #expect(FileManager.default.fileExists(atPath: mongo + "/server/" + file))
        }
        #expect(!conf.contains(mongo))
        for version in ["7.0", "5.0"] {
            let redis = scratch.file("redis" + version)
            try succeed([
                "bundle", "redis", "db1", "--dir", pki, "--out", redis, "--redis-version", version, "--client-cert",
                "app",
                "--server-dir", "/etc/redis/tls",
            ])
            let name = version == "7.0" ? "redis-tls.conf" : "stunnel.conf"
            let text = try read(redis + "/server/" + name)
            for file in ["db1.crt", "db1.key", "ca.crt"] {
                #expect(text.contains("/etc/redis/tls/\(file)\n"), "\(name): \(text)")
                #expect(FileManager.default.fileExists(atPath: redis + "/server/" + file))
            }
            #expect(!text.contains(redis))
            let verified = try CLIRunner.run(["verify", "bundle", redis + "/db1-crt.zip"])
            #expect(verified.status == 0, "\(verified.stderr)")
        }
        let verified = try CLIRunner.run(["verify", "bundle", mongo + "/MongoDB-CA.crt"])
        #expect(verified.status == 0, "\(verified.stderr)")
        let relative = try CLIRunner.run([
            "bundle", "redis", "db1", "--dir", pki, "--out", scratch.file("r"), "--server-dir", "tls",
        ])
        #expect(relative.status == 64 && relative.stderr.hasPrefix("error: ") && relative.stderr.contains("relative"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("r")))
    }
}
