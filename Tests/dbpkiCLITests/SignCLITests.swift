import DBPKITestSupport
import Foundation
import Testing

@Suite("dbpki sign: a leaf for a request's key, the key never in the PKI")
struct SignCLITests {
    static let backends = ["openssl", "gnutls"]

    /// What a PKI holds: its inventory as `list --json` prints it, and every file name under it.
    static func snapshot(_ pki: String) throws -> (inventory: String, files: [String]) {
        let listed = try succeed(["list", "--dir", pki, "--json"]).stdout
        let files = (FileManager.default.enumerator(atPath: pki)?.allObjects as? [String] ?? [])
            .filter { !$0.hasPrefix(".lock") }.sorted()
        return (listed, files)
    }

    /// A named pipe where a request is expected: read, it would block forever.
    static func fifo(in scratch: ScratchFolder) throws -> String {
        let path = scratch.file("fifo.csr")
        guard mkfifo(path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return path
    }

    @Test(
        "sign writes only NAME.crt for the request's key, with the given names and subject, not the request's",
        arguments: backends)
    func signsWithGivenNames(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "Sign CA", "--backend", backend])
        let csr = try SigningRequestFiles.write(
            .good(keyType: "ecdsa-p256"), name: "host", in: scratch,
            engine: backend == "openssl" ? "gnutls" : "openssl",
            subjectCN: "admin", dns: ["evil.example.com"])
        let signed = try succeed([
            "sign", csr, "--dir", pki, "db1", "--dns", "db1.example.com", "--ip", "10.0.0.5", "--subject", "O=Acme",
            "--backend", backend,
        ])
        #expect(
            signed.stdout.hasPrefix("signed server certificate 'CN=db1,O=Acme' for DNS:db1.example.com, IP:10.0.0.5"))
        #expect(signed.stdout.contains("its subject 'CN=admin' is not copied"))
        #expect(!FileManager.default.fileExists(atPath: pki + "/issued/db1.key"))
        let inspected = try succeed(["inspect", pki + "/issued/db1.crt", "--json"]).stdout
        #expect(!inspected.contains("evil.example.com"))
        #expect(!inspected.contains("admin"))
        let verified = try CLIRunner.run([
            "verify", "chain", pki + "/issued/db1.crt", "--trust", pki + "/ca.crt", "--host", "db1.example.com",
            "--backend", "both",
        ])
        #expect(verified.status == 0, "\(verified.stderr)")
        let records = try inventory(pki)
        let record = try #require(records.first { $0["name"] as? String == "db1" })
        #expect(record["key_path"] is NSNull)
        #expect(record["key_held_elsewhere"] as? Bool == true)
        #expect(records.first { $0["kind"] as? String == "ca" }?["key_held_elsewhere"] as? Bool == false)
        #expect(record["kind"] as? String == "server")
        let doctor = try CLIRunner.run(["doctor", "--dir", pki])
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
    }

    @Test("--csr-names takes the request's names; --client and --member make issue's profiles", arguments: backends)
    func csrNamesAndProfiles(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "Sign CA", "--backend", backend])
        let csr = try SigningRequestFiles.write(
            .good(keyType: "rsa-2048"), name: "host", in: scratch, dns: ["db1.example.com."], ips: ["fd00::5"],
            der: true)
        let signed = try succeed([
            "sign", csr, "--dir", pki, "db1", "--csr-names", "--dns", "db1.internal", "--json", "--backend", backend,
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(signed.stdout.utf8)) as? [String: Any])
        #expect(object["sans"] as? [String] == ["DNS:db1.internal", "DNS:db1.example.com", "IP:fd00::5"])
        #expect(object["files"] as? [String] == [pki + "/issued/db1.crt"])
        #expect(object["name"] as? String == "db1" && object["serial"] is String && object["not_after"] is String)
        let client = try succeed(["sign", csr, "--dir", pki, "app", "--client", "--backend", backend])
        #expect(client.stdout.hasPrefix("signed client certificate 'CN=app'"))
        let member = try succeed([
            "sign", csr, "--dir", pki, "rs0-a", "--member", "--subject", "O=Acme", "--dns", "rs0-a.example.com",
            "--backend", backend,
        ])
        #expect(member.stdout.hasPrefix("signed member certificate 'CN=rs0-a,O=Acme'"))
        let inspected = try succeed(["inspect", pki + "/issued/rs0-a.crt", "--json"]).stdout
        #expect(inspected.contains("\"serverAuth\"") && inspected.contains("\"clientAuth\""))
    }

    @Test("renew keeps the request's key, revoke works, and bundle says the key is not in the PKI", arguments: backends)
    func renewRevokeBundle(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "Sign CA", "--backend", backend])
        let csr = try SigningRequestFiles.write(.good(keyType: "ecdsa-p384"), name: "host", in: scratch)
        try succeed(["sign", csr, "--dir", pki, "db1", "--dns", "db1.example.com", "--backend", backend])
        let first = try succeed(["inspect", pki + "/issued/db1.crt", "--json"]).stdout
        let renewed = try succeed(["renew", "db1", "--dir", pki, "--json", "--backend", backend])
        #expect(renewed.stdout.contains("\"reused_key\" : true"))
        #expect(!FileManager.default.fileExists(atPath: pki + "/issued/db1.key"))
        let second = try succeed(["inspect", pki + "/issued/db1.crt", "--json"]).stdout
        #expect(first != second)
        // The renewed certificate is for the host's key: the key written next to the request matches it.
        let check = try CLIRunner.run([
            "verify", "chain", pki + "/issued/db1.crt", "--trust", pki + "/ca.crt", "--host", "db1.example.com",
        ])
        #expect(check.status == 0, "\(check.stderr)")
        let otherType = try CLIRunner.run(["renew", "db1", "--dir", pki, "--key-type", "rsa-2048"])
        #expect(otherType.status == 64 && otherType.stderr.contains("signed from a request"), "\(otherType.stderr)")
        let bundle = try CLIRunner.run(["bundle", "redis", "db1", "--dir", pki, "--out", scratch.file("out")])
        #expect(bundle.status != 0)
        #expect(bundle.stderr.hasPrefix("error: ") && bundle.stderr.contains("its private key is held on its own host"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out")))
        try succeed(["revoke", "db1", "--dir", pki, "--backend", backend])
        try succeed(["crl", "--dir", pki, "--out", scratch.file("ca.crl"), "--backend", backend])
        let doctor = try CLIRunner.run(["doctor", "--dir", pki])
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
    }

    @Test(
        "each bad request or name is one error line with its exit status, and nothing is written", arguments: backends)
    func refusals(backend: String) throws {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "Sign CA", "--backend", backend])
        try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--backend", backend])
        let good = try SigningRequestFiles.write(.good(keyType: "ecdsa-p256"), name: "good", in: scratch)
        let cases: [(String, [String], Int32, String)] = [
            ("a certificate", [pki + "/ca.crt"], 65, "no certificate request in PEM input"),
            ("garbage", [try scratch.write("garbage.csr", "garbage\n")], 65, "not PEM or DER"),
            (
                "a forged request", [try SigningRequestFiles.write(.tampered, name: "tampered", in: scratch)], 65,
                "signature does not verify"
            ),
            (
                "an RSA-1024 key", [try SigningRequestFiles.write(.weakRSA, name: "rsa1024", in: scratch)], 65,
                "weaker than RSA-2048 or P-256"
            ),
            (
                "a P-192 key", [try SigningRequestFiles.write(.weakEC, name: "p192", in: scratch)], 65,
                "weaker than RSA-2048 or P-256"
            ),
            (
                "a CA request", [try SigningRequestFiles.write(.ca, name: "ca", in: scratch)], 65,
                "asks for a CA certificate"
            ),
            (
                "an email name with --csr-names",
                [
                    try SigningRequestFiles.write(
                        .good(keyType: "ecdsa-p256"), name: "mail", in: scratch, emails: ["a@b.c"]),
                    "--csr-names",
                ], 65, "does not carry"
            ),
            ("no request file", [scratch.file("nosuch.csr")], 66, "nosuch.csr"),
            ("a folder", [scratch.path], 65, scratch.path),
            ("a FIFO", [try Self.fifo(in: scratch)], 65, "fifo.csr"),
        ]
        let before = try Self.snapshot(pki)
        for (what, arguments, status, message) in cases {
            let outcome = try CLIRunner.run(
                ["sign"] + arguments.prefix(1) + ["--dir", pki, "db2", "--dns", "db2.example.com"]
                    + arguments.dropFirst() + ["--backend", backend])
            #expect(outcome.status == status, "\(what): \(outcome.stderr)")
            #expect(
                outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains(message), "\(what): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(what): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "\(what)")
        }
        let taken = try CLIRunner.run(["sign", good, "--dir", pki, "db1", "--dns", "db1.example.com"])
        #expect(taken.status == 73 && taken.stderr.contains("already issued"), "\(taken.stderr)")
        let after = try Self.snapshot(pki)
        #expect(after.inventory == before.inventory)
        #expect(after.files == before.files)
        let empty = scratch.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        let noCA = try CLIRunner.run(["sign", good, "--dir", empty, "db2", "--dns", "db2.example.com"])
        #expect(noCA.status == 66 && noCA.stderr.contains("has no CA"), "\(noCA.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty)
    }
}

@Suite("dbpki init --csr-out: a CA key and a request, and a PKI that issues nothing until its certificate comes")
struct PendingCACLITests {
    @Test(
        "init --csr-out writes ca.key (0600) and a CA request; the PKI then refuses to issue and names the way on",
        arguments: SignCLITests.backends)
    func pendingCA(backend: String) throws {
        let scratch = try ScratchFolder()
        let sub = scratch.file("sub")
        let request = scratch.file("sub.csr")
        let created = try succeed([
            "init", "--dir", sub, "--name", "Issuing CA 1", "--subject", "O=Acme", "--csr-out", request, "--json",
            "--backend", backend,
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])
        #expect(object["subject"] as? String == "CN=Issuing CA 1,O=Acme")
        #expect(object["files"] as? [String] == [sub + "/ca.key", sub + "/ca.csr", request])
        let mode = try FileManager.default.attributesOfItem(atPath: sub + "/ca.key")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(!FileManager.default.fileExists(atPath: sub + "/ca.crt"))
        #expect(try String(contentsOfFile: request, encoding: .utf8).hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
        // The request asks for a CA, so signing it as a leaf is refused (the other way round works only with --ca).
        let root = scratch.file("root")
        try succeed(["init", "--dir", root, "--name", "Root CA", "--backend", backend])
        let asLeaf = try CLIRunner.run(["sign", request, "--dir", root, "sub", "--client", "--backend", backend])
        #expect(asLeaf.status == 65 && asLeaf.stderr.contains("asks for a CA certificate"), "\(asLeaf.stderr)")

        let before = try SignCLITests.snapshot(sub)
        let leafRequest = try SigningRequestFiles.write(.good(keyType: "ecdsa-p256"), name: "host", in: scratch)
        for arguments in [
            ["issue", "db1", "--dir", sub, "--dns", "db1.example.com"],
            ["sign", leafRequest, "--dir", sub, "db1", "--dns", "db1.example.com"],
            ["crl", "--dir", sub, "--out", scratch.file("sub.crl")],
            ["ca", "rollover", "--dir", sub],
        ] {
            let refused = try CLIRunner.run(arguments + ["--backend", backend])
            #expect(refused.status >= 64, "\(arguments): \(refused.stderr)")
            #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.contains("is waiting for its CA certificate"))
            #expect(refused.stderr.contains("--ca") && refused.stderr.contains("--import"), "\(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1)
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file("sub.crl")))
        #expect(try SignCLITests.snapshot(sub) == before)
        let again = try CLIRunner.run(["init", "--dir", sub, "--name", "Again", "--csr-out", scratch.file("again.csr")])
        #expect(again.status == 73, "\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("again.csr")))
        let doctor = try CLIRunner.run(["doctor", "--dir", sub])
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
    }

    @Test("init --csr-out refuses an existing FILE before it creates anything")
    func existingRequestFile() throws {
        let scratch = try ScratchFolder()
        let taken = try scratch.write("taken.csr", "keep me\n")
        let outcome = try CLIRunner.run(["init", "--dir", scratch.file("sub"), "--name", "CA", "--csr-out", taken])
        #expect(outcome.status == 64 && outcome.stderr.contains("exists already"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("sub")))
        #expect(try String(contentsOfFile: taken, encoding: .utf8) == "keep me\n")
    }
}
