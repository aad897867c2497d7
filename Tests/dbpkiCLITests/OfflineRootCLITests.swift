import DBPKITestSupport
import Foundation
import Testing

@Suite("The offline root: init --csr-out, sign --ca on the root's host, init --import")
struct OfflineRootCLITests {
    static let backends = ["openssl", "gnutls"]

    /// Runs a command that must succeed.
    @discardableResult
    func succeed(_ arguments: [String]) throws -> CLIRunner.Outcome {
        let outcome = try CLIRunner.run(arguments)
        #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        return outcome
    }

    /// Runs a command that must fail with `status` and one `error:` line.
    @discardableResult
    func refuse(
        _ status: Int32, _ arguments: [String], saying words: String = "", environment: [String: String] = [:]
    ) throws -> CLIRunner.Outcome {
        let outcome = try CLIRunner.run(arguments, environment: environment)
        #expect(outcome.status == status, "\(arguments): \(outcome.status) \(outcome.stderr)")
        // A notice that opening the PKI finished or rolled back an interrupted operation may come first.
        let lines = outcome.stderr.split(separator: "\n").filter { !$0.hasPrefix("dbpki: ") }
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(arguments): \(outcome.stderr)")
        #expect(words.isEmpty || outcome.stderr.contains(words), "\(arguments): \(outcome.stderr)")
        return outcome
    }

    /// Every file under `path` with its bytes, to show that a refused command changed nothing.
    func snapshot(_ path: String) -> [String: Data] { FolderContents.files(under: path) }

    /// The records of `dbpki list --dir PKI --json`.
    func records(_ pki: String) throws -> [[String: Any]] {
        let listed = try succeed(["list", "--dir", pki, "--json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    }

    /// A root, and SUB waiting for its certificate, its request at `sub.csr`.
    func start(_ scratch: ScratchFolder, root rootEngine: String, sub subEngine: String) throws
        -> (root: String, sub: String, request: String)
    {
        let root = scratch.file("root")
        let sub = scratch.file("sub")
        let request = scratch.file("sub.csr")
        try succeed(["init", "--dir", root, "--name", "Offline Root", "--subject", "O=Acme", "--backend", rootEngine])
        try succeed([
            "init", "--dir", sub, "--name", "Issuing CA", "--subject", "O=Acme,OU=Databases", "--csr-out", request,
            "--backend", subEngine,
        ])
        return (root, sub, request)
    }

    @Test(
        "the whole offline flow makes an intermediate whose leaves verify against the root alone, on both engines",
        arguments: backends)
    func wholeFlow(backend: String) throws {
        let scratch = try ScratchFolder()
        let (root, sub, request) = try start(scratch, root: backend, sub: backend)
        let certificate = scratch.file("sub.crt")
        let signed = try succeed([
            "sign", request, "--dir", root, "--ca", "--out", certificate, "--backend", backend, "--json",
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(signed.stdout.utf8)) as? [String: Any])
        #expect(
            object["kind"] as? String == "ca" && object["subject"] as? String == "CN=Issuing CA,OU=Databases,O=Acme")
        #expect((object["files"] as? [String] ?? []).contains(certificate))
        #expect(try mode(of: certificate) == 0o644)
        let serial = try #require(object["serial"] as? String)
        #expect(FileManager.default.fileExists(atPath: root + "/intermediates/\(serial).crt"))
        let inspected = try succeed(["inspect", certificate, "--backend", backend])
        #expect(inspected.stdout.contains("yes, path length 0"), "\(inspected.stdout)")

        let imported = try succeed([
            "init", "--dir", sub, "--import", certificate, "--root", root + "/ca.crt", "--backend", backend,
        ])
        #expect(imported.stdout.contains("imported intermediate CA 'CN=Issuing CA,OU=Databases,O=Acme'"))
        #expect(
            try String(contentsOfFile: sub + "/root.crt", encoding: .utf8)
                == String(contentsOfFile: root + "/ca.crt", encoding: .utf8))
        try succeed(["doctor", "--dir", sub, "--backend", backend])
        try succeed(["doctor", "--dir", root, "--backend", backend])
        try succeed(["issue", "db1", "--dir", sub, "--dns", "db1.example.com", "--backend", backend])
        for engine in Self.backends {
            let verified = try CLIRunner.run([
                "verify", "chain", sub + "/issued/db1.crt", "--trust", root + "/ca.crt", "--host", "db1.example.com",
                "--backend", engine,
            ])
            #expect(verified.status == 0, "\(engine): \(verified.stdout) \(verified.stderr)")
        }
        let listed = try records(root)
        #expect(
            listed.contains {
                $0["kind"] as? String == "ca" && $0["serial"] as? String == serial
                    && $0["status"] as? String == "active"
            })
        try succeed(["revoke", "--serial", serial, "--dir", root, "--backend", backend])
        let crl = scratch.file("root.crl")
        let published = try succeed(["crl", "--dir", root, "--out", crl, "--backend", backend, "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(published.stdout.utf8)) as? [String: Any])
        let revoked = list["revoked"] as? [[String: Any]] ?? []
        #expect(revoked.contains { $0["serial"] as? String == serial }, "\(published.stdout)")
    }

    @Test(
        "a SUB made by one engine imports what a root on the other engine signed",
        arguments: [("openssl", "gnutls"), ("gnutls", "openssl")])
    func crossEngine(subEngine: String, rootEngine: String) throws {
        let scratch = try ScratchFolder()
        let (root, sub, request) = try start(scratch, root: rootEngine, sub: subEngine)
        let certificate = scratch.file("sub.crt")
        try succeed(["sign", request, "--dir", root, "--ca", "--out", certificate, "--backend", rootEngine])
        let imported = try succeed([
            "init", "--dir", sub, "--import", certificate, "--root", root + "/ca.crt", "--backend", subEngine, "--json",
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "ca" && object["issuer"] as? String == "CN=Offline Root,O=Acme")
        #expect(Set(object["files"] as? [String] ?? []) == [sub + "/ca.crt", sub + "/root.crt"])
        try succeed(["issue", "app", "--dir", sub, "--client", "--backend", subEngine])
        let verified = try CLIRunner.run([
            "verify", "chain", sub + "/issued/app.crt", "--trust", root + "/ca.crt", "--purpose", "client",
            "--backend", "both",
        ])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
    }

    @Test("an intermediate signed offline under an intermediate carries that intermediate for the import")
    func underAnIntermediate() throws {
        let scratch = try ScratchFolder()
        let top = scratch.file("top")
        let middle = scratch.file("middle")
        try succeed(["init", "--dir", top, "--name", "Top Root"])
        try succeed(["init", "--dir", middle, "--name", "Middle CA", "--parent", top, "--path-len", "1"])
        let sub = scratch.file("sub")
        let request = scratch.file("sub.csr")
        try succeed(["init", "--dir", sub, "--name", "Issuing CA", "--csr-out", request])
        let certificate = scratch.file("sub.crt")
        try succeed(["sign", request, "--dir", middle, "--ca", "--out", certificate])
        let pem = try String(contentsOfFile: certificate, encoding: .utf8)
        #expect(pem.components(separatedBy: "BEGIN CERTIFICATE").count - 1 == 2)
        #expect(pem.hasSuffix(try String(contentsOfFile: middle + "/ca.crt", encoding: .utf8)))
        try succeed(["init", "--dir", sub, "--import", certificate, "--root", top + "/ca.crt"])
        try succeed(["issue", "db1", "--dir", sub, "--dns", "db1.example.com"])
        let verified = try CLIRunner.run([
            "verify", "chain", sub + "/issued/db1.crt", "--trust", top + "/ca.crt", "--backend", "both",
        ])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        // The middle CA allows one CA below it: the new one, which may have none.
        let deeper = scratch.file("deeper.csr")
        try succeed(["init", "--dir", scratch.file("deeper"), "--name", "Deeper", "--csr-out", deeper])
        let before = snapshot(middle)
        try refuse(
            64, ["sign", deeper, "--dir", middle, "--ca", "--out", scratch.file("deeper.crt"), "--path-len", "1"],
            saying: "pathLenConstraint")
        #expect(snapshot(middle) == before)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("deeper.crt")))
    }

    @Test("imports for another key, another root or of a non-CA certificate are refused as answers, changing nothing")
    func refusedImports() throws {
        let scratch = try ScratchFolder()
        let (root, sub, request) = try start(scratch, root: "openssl", sub: "openssl")
        let certificate = scratch.file("sub.crt")
        try succeed(["sign", request, "--dir", root, "--ca", "--out", certificate])
        let other = scratch.file("other")
        try succeed(["init", "--dir", other, "--name", "Other Root"])
        try succeed(["issue", "db1", "--dir", root, "--dns", "db1.example.com"])
        let waiting = scratch.file("waiting")
        try succeed(["init", "--dir", waiting, "--name", "Waiting CA", "--csr-out", scratch.file("waiting.csr")])
        let before = snapshot(sub)
        let beforeWaiting = snapshot(waiting)
        for backend in Self.backends {
            try refuse(
                1,
                ["init", "--dir", waiting, "--import", certificate, "--root", root + "/ca.crt", "--backend", backend],
                saying: "for another key")
            try refuse(
                1, ["init", "--dir", sub, "--import", certificate, "--root", other + "/ca.crt", "--backend", backend],
                saying: "does not chain to 'CN=Other Root'")
            try refuse(
                1,
                [
                    "init", "--dir", sub, "--import", root + "/issued/db1.crt", "--root", root + "/ca.crt", "--backend",
                    backend,
                ],
                saying: "is not a CA certificate")
            try refuse(
                1, ["init", "--dir", sub, "--import", certificate, "--root", certificate, "--backend", backend],
                saying: "not a self-signed CA")
        }
        #expect(snapshot(sub) == before)
        #expect(snapshot(waiting) == beforeWaiting)
        try refuse(66, ["issue", "db1", "--dir", sub, "--dns", "db1.example.com"], saying: "waiting for its CA")
        try succeed(["init", "--dir", sub, "--import", certificate, "--root", root + "/ca.crt"])
        let imported = snapshot(sub)
        try refuse(
            64, ["init", "--dir", sub, "--import", certificate, "--root", root + "/ca.crt"],
            saying: "has its CA certificate already")
        try refuse(
            64, ["init", "--dir", other, "--import", certificate, "--root", root + "/ca.crt"],
            saying: "has its CA certificate already")
        try refuse(
            64, ["init", "--dir", scratch.file("none"), "--import", certificate, "--root", root + "/ca.crt"],
            saying: "not a PKI waiting")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("none")))
        try refuse(64, ["init", "--dir", sub, "--import", certificate], saying: "--root")
        try refuse(
            64, ["init", "--dir", sub, "--import", certificate, "--root", root + "/ca.crt", "--name", "X"],
            saying: "--name does not go with --import")
        #expect(snapshot(sub) == imported)
    }

    @Test("sign --ca refuses bad requests, leaf flags, an existing CERT and an exhausted path length, writing nothing")
    func refusedSigning() throws {
        let scratch = try ScratchFolder()
        let (root, _, request) = try start(scratch, root: "openssl", sub: "openssl")
        let leavesOnly = scratch.file("leaves-only")
        try succeed(["init", "--dir", leavesOnly, "--name", "Leaves Only", "--parent", root])
        let out = scratch.file("out.crt")
        let before = snapshot(root)
        for backend in Self.backends {
            for (kind, words) in [
                (SigningRequestFiles.Kind.tampered, "signature does not verify"),
                (.weakRSA, "weaker than RSA-2048"), (.weakEC, "weaker than RSA-2048"),
                (.good(keyType: "ecdsa-p256"), "does not ask for a CA certificate"),
            ] {
                let bad = try SigningRequestFiles.write(kind, name: "bad", in: scratch, engine: backend)
                try refuse(65, ["sign", bad, "--dir", root, "--ca", "--out", out, "--backend", backend], saying: words)
            }
            let noCN = try SigningRequestFiles.write(.ca, name: "no-cn", in: scratch, engine: backend, subjectCN: "")
            try refuse(65, ["sign", noCN, "--dir", root, "--ca", "--out", out, "--backend", backend])
            try refuse(
                64, ["sign", request, "--dir", leavesOnly, "--ca", "--out", out, "--backend", backend],
                saying: "pathLenConstraint")
        }
        try refuse(64, ["sign", request, "--dir", root, "--ca"], saying: "--out")
        for extra in [
            ["name"], ["--dns", "a.example.com"], ["--ip", "10.0.0.1"], ["--client"], ["--member"], ["--csr-names"],
        ] {
            try refuse(64, ["sign", request, "--dir", root, "--ca", "--out", out] + extra, saying: "is for a leaf")
        }
        try refuse(64, ["sign", request, "--dir", root, "--ca", "--out", out, "--path-len", "9"], saying: "--path-len")
        #expect(snapshot(root) == before)
        #expect(!FileManager.default.fileExists(atPath: out))
        try "taken\n".write(toFile: out, atomically: true, encoding: .utf8)
        try refuse(73, ["sign", request, "--dir", root, "--ca", "--out", out], saying: "exists already")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "taken\n")
        #expect(snapshot(root) == before)
    }

    @Test("sign --ca caps the intermediate at the root's end and opens an encrypted root key with --password-file")
    func cappedAndEncrypted() throws {
        let scratch = try ScratchFolder()
        let root = scratch.file("root")
        let password = try scratch.write("root.pass", "offline-root-password\n")
        chmod(password, 0o600)
        try succeed([
            "init", "--dir", root, "--name", "Short Root", "--days", "30", "--encrypt-key", "--password-file", password,
        ])
        let request = scratch.file("sub.csr")
        try succeed(["init", "--dir", scratch.file("sub"), "--name", "Sub", "--csr-out", request])
        try refuse(
            64, ["sign", request, "--dir", root, "--ca", "--out", scratch.file("sub.crt")],
            environment: ["DBPKI_PASSWORD_FILE": ""])
        let signed = try succeed([
            "sign", request, "--dir", root, "--ca", "--out", scratch.file("sub.crt"), "--password-file", password,
        ])
        #expect(signed.stdout.contains("its validity ends with this PKI's CA"), "\(signed.stdout)")
        // A leaf signed from a request opens the encrypted key the same way (before, sign had no --password-file).
        let host = try SigningRequestFiles.write(.good(keyType: "ecdsa-p256"), name: "host", in: scratch)
        try refuse(
            64, ["sign", host, "--dir", root, "db1", "--dns", "db1.example.com"],
            saying: "encrypted", environment: ["DBPKI_PASSWORD_FILE": ""])
        try succeed(["sign", host, "--dir", root, "db1", "--dns", "db1.example.com", "--password-file", password])
    }

    @Test("a SUB whose key was encrypted at --csr-out imports with its password, and refuses without one")
    func encryptedSubKey() throws {
        let scratch = try ScratchFolder()
        let root = scratch.file("root")
        let sub = scratch.file("sub")
        let password = try scratch.write("sub.pass", "issuing-ca-password\n")
        chmod(password, 0o600)
        try succeed(["init", "--dir", root, "--name", "Offline Root"])
        let request = scratch.file("sub.csr")
        try succeed([
            "init", "--dir", sub, "--name", "Sub", "--csr-out", request, "--encrypt-key", "--password-file", password,
        ])
        let certificate = scratch.file("sub.crt")
        try succeed(["sign", request, "--dir", root, "--ca", "--out", certificate])
        let importing = ["init", "--dir", sub, "--import", certificate, "--root", root + "/ca.crt"]
        let before = snapshot(sub)
        try refuse(64, importing, saying: "encrypted", environment: ["DBPKI_PASSWORD_FILE": ""])
        #expect(snapshot(sub) == before)
        try succeed(importing + ["--password-file", password])
        try succeed(["issue", "db1", "--dir", sub, "--dns", "db1.example.com", "--password-file", password])
    }

    @Test(
        "init --import killed at any step leaves SUB waiting (before its commit point) or finished by the next command",
        arguments: [
            ("init-import.after-stage", false), ("init-import.after-journal", true), ("init-import.after-move-1", true),
            ("init-import.after-move-2", true),
        ])
    func importKilled(point: String, rollsForward: Bool) throws {
        let scratch = try ScratchFolder()
        let (root, sub, request) = try start(scratch, root: "openssl", sub: "gnutls")
        let certificate = scratch.file("sub.crt")
        try succeed(["sign", request, "--dir", root, "--ca", "--out", certificate])
        let before = snapshot(sub)
        let importing = ["init", "--dir", sub, "--import", certificate, "--root", root + "/ca.crt"]
        let killed = try CLIRunner.run(importing, environment: ["DBPKI_FAILPOINT": point])
        #expect(killed.killedBySignal && killed.status == SIGKILL, "\(killed.stderr)")
        if rollsForward {
            try refuse(64, importing, saying: "has its CA certificate already")
        } else {
            #expect(
                snapshot(sub).filter { !$0.key.hasPrefix(".staging/") && !$0.key.hasPrefix("inventory") }
                    .keys.sorted() == before.filter { !$0.key.hasPrefix("inventory") }.keys.sorted())
            try refuse(66, ["issue", "db1", "--dir", sub, "--dns", "db1.example.com"], saying: "waiting for its CA")
            try succeed(importing)
        }
        try succeed(["doctor", "--dir", sub])
        try succeed(["issue", "db1", "--dir", sub, "--dns", "db1.example.com"])
        #expect(
            try String(contentsOfFile: sub + "/root.crt", encoding: .utf8)
                == String(contentsOfFile: root + "/ca.crt", encoding: .utf8))
    }

    @Test("sign --ca killed before its commit point records nothing; after it, the next command finishes the record")
    func signKilled() throws {
        let scratch = try ScratchFolder()
        let (root, _, request) = try start(scratch, root: "gnutls", sub: "openssl")
        let certificate = scratch.file("sub.crt")
        let signing = ["sign", request, "--dir", root, "--ca", "--out", certificate]
        let early = try CLIRunner.run(signing, environment: ["DBPKI_FAILPOINT": "sign-intermediate.after-stage"])
        #expect(early.killedBySignal, "\(early.stderr)")
        #expect(!FileManager.default.fileExists(atPath: certificate))
        #expect(try records(root).filter { $0["kind"] as? String == "ca" }.count == 1)
        let late = try CLIRunner.run(signing, environment: ["DBPKI_FAILPOINT": "sign-intermediate.after-journal"])
        #expect(late.killedBySignal, "\(late.stderr)")
        #expect(!FileManager.default.fileExists(atPath: certificate))
        // Recorded: the next command in ROOT moves its copy into place, and doctor agrees.
        let listed = try records(root).filter { $0["kind"] as? String == "ca" && $0["status"] as? String == "active" }
        #expect(listed.count == 2)
        try succeed(["doctor", "--dir", root])
        let copies = try FileManager.default.contentsOfDirectory(atPath: root + "/intermediates")
        #expect(copies.count == 1)
    }
}
