import DBPKITestSupport
import Foundation
import Testing

/// A scratch folder with an encrypted-CA PKI and password files (mode 0600) in it.
struct EncryptedPKI {
    static let password = "Tr0ub4dor&3-correct-horse"
    static let otherPassword = "a-different-9-battery"

    let scratch: ScratchFolder
    let pki: String
    let passwordFile: String
    let wrongFile: String
    let newFile: String

    /// `init --encrypt-key` on `backend`, with a server certificate db1 issued on `issuer`.
    init(backend: String, issuer: String? = nil) throws {
        scratch = try ScratchFolder()
        pki = scratch.file("pki")
        passwordFile = try Self.secretFile(scratch, "ca.pass", Self.password + "\n")
        wrongFile = try Self.secretFile(scratch, "wrong.pass", "not-the-password\n")
        newFile = try Self.secretFile(scratch, "new.pass", Self.otherPassword + "\r\nsecond line ignored\n")
        try succeed([
            "init", "--dir", pki, "--name", "Vault CA", "--encrypt-key", "--password-file", passwordFile,
            "--backend", backend,
        ])
        try succeed([
            "issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--password-file", passwordFile,
            "--backend", issuer ?? backend,
        ])
    }

    /// Writes `text` to `name` at mode 0600.
    static func secretFile(_ scratch: ScratchFolder, _ name: String, _ text: String) throws -> String {
        let path = try scratch.write(name, text)
        chmod(path, 0o600)
        return path
    }

    /// Every file under the PKI folder with its bytes (the lock file aside), to show that a
    /// refused command changed nothing.
    func snapshot() throws -> [String: Data] { FolderContents.files(under: pki).filter { $0.key != ".lock" } }

    /// `doctor` on the PKI (without a password) exits 0 and notes the encrypted key.
    func expectDoctorClean(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let doctor = try CLIRunner.run(["doctor", "--dir", pki])
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)", sourceLocation: sourceLocation)
        #expect(
            doctor.stdout.contains("ca.key: encrypted, not checked without the password"), "\(doctor.stdout)",
            sourceLocation: sourceLocation)
    }
}

@Suite("dbpki with an encrypted CA key: init --encrypt-key, the password sources, change-password, doctor")
struct EncryptedCAKeyCLITests {
    static let backends = ["openssl", "gnutls"]
    static let pairs = [("openssl", "gnutls"), ("gnutls", "openssl"), ("openssl", "openssl"), ("gnutls", "gnutls")]

    @Test(
        "init --encrypt-key writes an encrypted PKCS#8 ca.key (0600) that issue, renew, crl and rollover open on either engine",
        arguments: pairs)
    func encryptedCAKeyWorksAcrossEngines(maker: String, user: String) throws {
        let x = try EncryptedPKI(backend: maker, issuer: user)
        let key = try String(contentsOfFile: x.pki + "/ca.key", encoding: .utf8)
        #expect(key.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: x.pki + "/ca.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let pass = ["--password-file", x.passwordFile, "--backend", user]
        try succeed(["renew", "db1", "--dir", x.pki] + pass)
        try succeed(["crl", "--dir", x.pki, "--out", x.scratch.file("ca.crl")] + pass)
        let rolled = try succeed(["ca", "rollover", "--dir", x.pki] + pass)
        #expect(rolled.stdout.contains("ca.key (0600, encrypted)"))
        // The new CA key keeps the protection, under the same password.
        #expect(try String(contentsOfFile: x.pki + "/ca.key", encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED"))
        try succeed(["renew", "db1", "--dir", x.pki] + pass)
        try succeed([
            "verify", "chain", x.pki + "/issued/db1.crt", "--trust", x.pki + "/ca.crt", "--backend", maker,
        ])
        try succeed(["doctor", "--dir", x.pki, "--password-file", x.passwordFile])
        try x.expectDoctorClean()
    }

    @Test(
        "every command that signs refuses without a password (exit 64), with a wrong one (exit 65), and writes nothing",
        arguments: backends)
    func refusalsWriteNothing(backend: String) throws {
        let x = try EncryptedPKI(backend: backend)
        let commands: [[String]] = [
            ["issue", "db2", "--dir", x.pki, "--dns", "db2.example.com"],
            ["renew", "db1", "--dir", x.pki],
            ["crl", "--dir", x.pki, "--out", x.scratch.file("refused.crl")],
            ["ca", "rollover", "--dir", x.pki],
            ["ca", "rollover", "--dir", x.pki, "--encrypt-key"],
        ]
        let before = try x.snapshot()
        for command in commands {
            for (extra, status, words) in [
                ([] as [String], Int32(64), "the key is encrypted and no password was given"),
                (["--password-file", x.wrongFile], 65, "the password given does not open this encrypted key"),
            ] {
                let outcome = try CLIRunner.run(command + extra + ["--backend", backend])
                #expect(outcome.status == status, "\(command + extra): \(outcome.stderr)")
                #expect(outcome.stderr.hasPrefix("error: \(x.pki)/ca.key: \(words)"), "\(outcome.stderr)")
                #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
                #expect(outcome.stdout.isEmpty)
            }
        }
        #expect(try x.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: x.scratch.file("refused.crl")))
        try x.expectDoctorClean()
    }

    @Test(
        "init --encrypt-key with no password, a missing or an empty password file refuses and creates nothing",
        arguments: backends)
    func initRefusals(backend: String) throws {
        let scratch = try ScratchFolder()
        let empty = try EncryptedPKI.secretFile(scratch, "empty.pass", "")
        let blankLine = try EncryptedPKI.secretFile(scratch, "blank.pass", "\nsecret on line two\n")
        for (extra, status, words) in [
            ([] as [String], Int32(64), "error: a new key is to be encrypted and no password was given"),
            (["--password-file", scratch.file("missing.pass")], 66, "error: \(scratch.file("missing.pass")): no such"),
            (["--password-file", empty], 64, "error: \(empty): the first line holds no password"),
            (["--password-file", blankLine], 64, "error: \(blankLine): the first line holds no password"),
        ] {
            let pki = scratch.file("pki")
            let outcome = try CLIRunner.run(
                ["init", "--dir", pki, "--name", "Vault CA", "--encrypt-key", "--backend", backend] + extra)
            #expect(outcome.status == status, "\(extra): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix(words), "\(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: pki))
        }
        // DBPKI_PASSWORD_FILE naming a missing file is the same refusal.
        let outcome = try CLIRunner.run(
            ["init", "--dir", scratch.file("pki"), "--name", "Vault CA", "--encrypt-key"],
            environment: ["DBPKI_PASSWORD_FILE": scratch.file("gone.pass")])
        #expect(outcome.status == 66)
        // --password-file without --encrypt-key is a usage error, not a silently plain key.
        let plain = try CLIRunner.run([
            "init", "--dir", scratch.file("pki"), "--name", "Vault CA", "--password-file", empty,
        ])
        #expect(plain.status == 64)
        #expect(plain.stderr.contains("--encrypt-key"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("pki")))
    }

    @Test("DBPKI_PASSWORD_FILE names the password file; a file others can read is used with a warning line")
    func environmentAndLoosePermissions() throws {
        let x = try EncryptedPKI(backend: "openssl")
        let issued = try CLIRunner.run(
            ["issue", "db2", "--dir", x.pki, "--dns", "db2.example.com"],
            environment: ["DBPKI_PASSWORD_FILE": x.passwordFile])
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(issued.stderr.isEmpty)
        chmod(x.passwordFile, 0o644)
        let loose = try CLIRunner.run([
            "issue", "db3", "--dir", x.pki, "--dns", "db3.example.com", "--password-file", x.passwordFile,
        ])
        #expect(loose.status == 0, "\(loose.stderr)")
        #expect(loose.stderr.hasPrefix("warning: \(x.passwordFile) is readable by others (mode 644)"))
        #expect(loose.stderr.split(separator: "\n").count == 1)
    }

    @Test(
        "the password appears in no output, no inventory and no file but as ciphertext, on either engine",
        arguments: backends)
    func passwordNeverShows(backend: String) throws {
        let x = try EncryptedPKI(backend: backend)
        let pass = ["--password-file", x.passwordFile, "--backend", backend]
        var outputs = [CLIRunner.Outcome]()
        for command in [
            ["issue", "app", "--dir", x.pki, "--client", "--json"], ["renew", "db1", "--dir", x.pki, "--json"],
            ["crl", "--dir", x.pki, "--out", x.scratch.file("out/ca.crl"), "--json"],
            ["issue", "db2", "--dir", x.pki, "--dns", "db2.example.com", "--password-file", x.wrongFile],
            ["ca", "rollover", "--dir", x.pki, "--json"], ["doctor", "--dir", x.pki, "--json"],
            ["ca", "change-password", "--dir", x.pki, "--new-password-file", x.newFile, "--json"],
            ["list", "--dir", x.pki, "--json"],
        ] {
            outputs.append(try CLIRunner.run(command + pass))
        }
        let secrets = [EncryptedPKI.password, EncryptedPKI.otherPassword]
        for outcome in outputs {
            for secret in secrets {
                #expect(!outcome.stdout.contains(secret))
                #expect(!outcome.stderr.contains(secret))
            }
        }
        for (path, bytes) in try x.snapshot() {
            for secret in secrets {
                #expect(!CertificateBytes.contains(Array(bytes), Array(secret.utf8)), "\(path) holds the password")
            }
        }
    }

    @Test("doctor checks an encrypted key with its password and reports a wrong one", arguments: backends)
    func doctorWithPasswords(backend: String) throws {
        let x = try EncryptedPKI(backend: backend)
        try x.expectDoctorClean()
        let checked = try succeed(["doctor", "--dir", x.pki, "--password-file", x.passwordFile, "--backend", backend])
        #expect(!checked.stdout.contains("note:"))
        let json = try succeed(["doctor", "--dir", x.pki, "--json", "--backend", backend])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == true)
        let notes = try #require(object["notes"] as? [[String: Any]])
        #expect(notes.map { $0["note"] as? String } == ["encrypted, not checked without the password"])
        #expect(notes.map { $0["path"] as? String } == [x.pki + "/ca.key"])
        let wrong = try CLIRunner.run([
            "doctor", "--dir", x.pki, "--password-file", x.wrongFile, "--backend", backend,
        ])
        #expect(wrong.status == 1)
        #expect(wrong.stdout.contains("ca.key: is encrypted and the password given does not open it"))
        #expect(!wrong.stdout.contains("cannot be read as a key"))
    }

    @Test(
        "ca change-password re-encrypts the CA key in place: the new password opens it, the old does not, nothing else changes",
        arguments: pairs)
    func changePassword(maker: String, user: String) throws {
        let x = try EncryptedPKI(backend: maker)
        let before = try x.snapshot()
        let refused = try CLIRunner.run([
            "ca", "change-password", "--dir", x.pki, "--password-file", x.wrongFile, "--new-password-file",
            x.newFile, "--backend", user,
        ])
        #expect(refused.status == 65, "\(refused.stderr)")
        let noNew = try CLIRunner.run([
            "ca", "change-password", "--dir", x.pki, "--password-file", x.passwordFile, "--backend", user,
        ])
        #expect(noNew.status == 64, "\(noNew.stderr)")
        #expect(try x.snapshot() == before)
        try succeed([
            "ca", "change-password", "--dir", x.pki, "--password-file", x.passwordFile, "--new-password-file",
            x.newFile, "--backend", user,
        ])
        let after = try x.snapshot()
        #expect(after["ca.key"] != before["ca.key"])
        #expect(after["ca.crt"] == before["ca.crt"])
        #expect(after["issued/db1.crt"] == before["issued/db1.crt"])
        let old = try CLIRunner.run([
            "issue", "db2", "--dir", x.pki, "--dns", "db2.example.com", "--password-file", x.passwordFile,
            "--backend", maker,
        ])
        #expect(old.status == 65)
        try succeed([
            "issue", "db2", "--dir", x.pki, "--dns", "db2.example.com", "--password-file", x.newFile,
            "--backend", maker,
        ])
        try x.expectDoctorClean()
    }

    @Test(
        "a plain CA key becomes encrypted by ca change-password, and by ca rollover --encrypt-key", arguments: backends)
    func plainKeysBecomeEncrypted(backend: String) throws {
        let scratch = try ScratchFolder()
        let pass = try EncryptedPKI.secretFile(scratch, "ca.pass", EncryptedPKI.password + "\n")
        for (index, command) in [
            ["ca", "change-password", "--new-password-file", pass],
            ["ca", "rollover", "--encrypt-key", "--password-file", pass],
        ].enumerated() {
            let pki = scratch.file("pki\(index)")
            try succeed(["init", "--dir", pki, "--name", "Plain CA", "--backend", backend])
            #expect(try String(contentsOfFile: pki + "/ca.key", encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY"))
            try succeed(command + ["--dir", pki, "--backend", backend])
            #expect(try String(contentsOfFile: pki + "/ca.key", encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED"))
            let refused = try CLIRunner.run(["issue", "db1", "--dir", pki, "--dns", "db1.example.com"])
            #expect(refused.status == 64)
            try succeed([
                "issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--password-file", pass, "--backend",
                backend,
            ])
        }
    }
    @Test(
        "issue --encrypt-key encrypts the certificate's key under its own password; renew keeps it encrypted; bundle opens it and ships it decrypted (0600)",
        arguments: pairs)
    func encryptedCertificateKeys(maker: String, user: String) throws {
        let x = try EncryptedPKI(backend: maker)
        let ca = ["--password-file", x.passwordFile]
        let issued = try CLIRunner.run(
            ["issue", "db2", "--dir", x.pki, "--dns", "db2.example.com", "--encrypt-key", "--backend", maker] + ca)
        #expect(issued.status == 64, "\(issued.stderr)")
        #expect(issued.stderr.contains("--key-password-file"))
        #expect(!FileManager.default.fileExists(atPath: x.pki + "/issued/db2.crt"))
        try succeed(
            [
                "issue", "db2", "--dir", x.pki, "--dns", "db2.example.com", "--encrypt-key", "--key-password-file",
                x.newFile, "--backend", maker,
            ] + ca)
        let key = x.pki + "/issued/db2.key"
        #expect(try String(contentsOfFile: key, encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        // The CA's password does not open the certificate's key, nor the reverse.
        let wrong = try CLIRunner.run([
            "bundle", "redis", "db2", "--dir", x.pki, "--out", x.scratch.file("wrong"), "--key-password-file",
            x.passwordFile, "--backend", user,
        ])
        #expect(wrong.status == 65, "\(wrong.stderr)")
        #expect(wrong.stderr.hasPrefix("error: \(key): the password given does not open this encrypted key"))
        #expect(!FileManager.default.fileExists(atPath: x.scratch.file("wrong")))
        let none = try CLIRunner.run([
            "bundle", "mongodb", "db2", "--dir", x.pki, "--out", x.scratch.file("none"), "--backend", user,
        ])
        #expect(none.status == 64, "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: x.scratch.file("none")))
        let out = x.scratch.file("bundle")
        try succeed([
            "bundle", "redis", "db2", "--dir", x.pki, "--out", out, "--key-password-file", x.newFile,
            "--backend", user,
        ])
        let shipped = out + "/server/db2.key"
        #expect(try String(contentsOfFile: shipped, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let mode = try FileManager.default.attributesOfItem(atPath: shipped)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try succeed(
            ["renew", "db2", "--dir", x.pki, "--key-password-file", x.newFile, "--backend", user] + ca)
        #expect(try String(contentsOfFile: key, encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        try succeed([
            "doctor", "--dir", x.pki, "--password-file", x.passwordFile, "--key-password-file", x.newFile,
        ])
        try x.expectDoctorClean()
    }
    @Test(
        "ca change-password killed at any step leaves ca.key opening with exactly one of the two passwords, the old before the journal commits and the new after",
        arguments: ["after-stage", "after-journal", "after-move-1", "done"])
    func changePasswordKilled(step: String) throws {
        let x = try EncryptedPKI(backend: step.count % 2 == 0 ? "openssl" : "gnutls")
        let killed = try CLIRunner.run(
            [
                "ca", "change-password", "--dir", x.pki, "--password-file", x.passwordFile, "--new-password-file",
                x.newFile,
            ], environment: ["DBPKI_FAILPOINT": "change-password.\(step)"])
        #expect(killed.killedBySignal, "\(killed.stderr)")
        let rolledForward = step != "after-stage"
        let (opens, refused) = rolledForward ? (x.newFile, x.passwordFile) : (x.passwordFile, x.newFile)
        let wrong = try CLIRunner.run(["doctor", "--dir", x.pki, "--password-file", refused])
        #expect(wrong.status == 1, "\(wrong.stdout)\(wrong.stderr)")
        try succeed(["doctor", "--dir", x.pki, "--password-file", opens])
        try succeed(["issue", "db2", "--dir", x.pki, "--dns", "db2.example.com", "--password-file", opens])
        try x.expectDoctorClean()
    }
}
