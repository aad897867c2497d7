import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("dbpki export pkcs12: a keystore Java, Windows and both engines open")
struct PKCS12CLITests {
    static let backends = ["openssl", "gnutls"]

    /// A PKI with a server certificate db1 and a client certificate app, and a password file.
    static func pki(_ backend: String) throws -> (scratch: ScratchFolder, pki: String, password: String) {
        let scratch = try ScratchFolder()
        let pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "P12 CA", "--backend", backend])
        try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--backend", backend])
        try succeed(["issue", "app", "--dir", pki, "--client", "--backend", backend])
        let password = try scratch.write("pass.txt", "correct horse\nsecond line\n")
        chmod(password, 0o600)  // a password file others may read is used with a warning line
        return (scratch, pki, password)
    }

    @Test(
        "the keystore holds NAME's key, certificate and CA, is 0600, and opens on both engines with the first line",
        arguments: backends, ["", "--legacy"])
    func exportOpensEverywhere(backend: String, legacy: String) throws {
        let (scratch, pki, password) = try Self.pki(backend)
        let file = scratch.file("app.p12")
        let outcome = try succeed(
            ["export", "pkcs12", "app", "--dir", pki, "--out", file, "--password-file", password, "--backend", backend]
                + (legacy.isEmpty ? [] : [legacy]))
        #expect(outcome.stdout == file + "\n")
        #expect(!outcome.stdout.contains("correct horse") && !outcome.stderr.contains("correct horse"))
        #expect(try mode(of: file) == 0o600)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        let certificate = try CertificateDecoder.certificates(from: try InputFile.read(pki + "/issued/app.crt"))[0]
        let ca = try CertificateDecoder.certificates(from: try InputFile.read(pki + "/ca.crt"))[0]
        for engine in EngineUnderTest.all {
            let read = try PKCS12Contents(
                der: bytes, password: "correct horse", includeKey: true, using: engine.backend)
            #expect(read.certificates.map(\.der) == [certificate, ca])
            #expect(read.certificates.first?.friendlyName == "app")
            #expect(read.protection == (legacy.isEmpty ? .aes256 : .legacy))
            let key = try #require(read.key)
            #expect(try engine.backend.privateKey(key.key, matchesCertificate: certificate))
        }
    }

    @Test("an existing file is refused (exit 73) and kept; --force replaces it")
    func existingFileIsRefused() throws {
        let (scratch, pki, password) = try Self.pki("openssl")
        let file = try scratch.write("db1.p12", "keep me\n")
        let arguments = ["export", "pkcs12", "db1", "--dir", pki, "--out", file, "--password-file", password]
        let refused = try CLIRunner.run(arguments)
        #expect(refused.status == 73)
        #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.split(separator: "\n").count == 1)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me\n")
        try succeed(arguments + ["--force"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) != Data("keep me\n".utf8))
        #expect(try mode(of: file) == 0o600)
    }

    @Test("the password file may come from DBPKI_PASSWORD_FILE; with none, nothing is written (exit 64)")
    func passwordFromEnvironment() throws {
        let (scratch, pki, password) = try Self.pki("gnutls")
        let file = scratch.file("db1.p12")
        let arguments = ["export", "pkcs12", "db1", "--dir", pki, "--out", file, "--json"]
        let missing = try CLIRunner.run(arguments, environment: ["DBPKI_PASSWORD_FILE": ""])
        #expect(missing.status == 64 && missing.stderr.contains("--password-file"))
        #expect(!FileManager.default.fileExists(atPath: file))
        let outcome = try CLIRunner.run(arguments, environment: ["DBPKI_PASSWORD_FILE": password])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try jsonObject(outcome)
        #expect(object["files"] as? [String] == [file] && object["name"] as? String == "db1")
        #expect(object["algorithms"] as? String == "aes-256")
        #expect(object["serial"] is String && object["not_after"] is String)
    }

    @Test("a revoked certificate, or an empty password, is refused with nothing written")
    func refusals() throws {
        let (scratch, pki, password) = try Self.pki("openssl")
        let file = scratch.file("db1.p12")
        let empty = try scratch.write("empty.txt", "\nsecret on line two\n")
        let emptyPassword = try CLIRunner.run(
            ["export", "pkcs12", "db1", "--dir", pki, "--out", file, "--password-file", empty])
        #expect(emptyPassword.status == 64 && emptyPassword.stderr.contains("empty"))
        try succeed(["revoke", "db1", "--dir", pki])
        let revoked = try CLIRunner.run(
            ["export", "pkcs12", "db1", "--dir", pki, "--out", file, "--password-file", password])
        #expect(revoked.status == 65 && revoked.stderr.contains("revoked"))
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    @Test(
        "bundle redis --java adds truststore.p12 (the CA, trusted) and CLIENT.p12 (0600) that both engines open",
        arguments: backends)
    func redisBundleJava(backend: String) throws {
        let (scratch, pki, password) = try Self.pki(backend)
        let out = scratch.file("out")
        try succeed(
            ["bundle", "redis", "db1", "--dir", pki, "--out", out, "--client-cert", "app", "--java"]
                + ["--password-file", password, "--backend", backend])
        #expect(try mode(of: out + "/truststore.p12") == 0o644)
        #expect(try mode(of: out + "/app.p12") == 0o600)
        let ca = try CertificateDecoder.certificates(from: try InputFile.read(pki + "/ca.crt"))[0]
        let client = try CertificateDecoder.certificates(from: try InputFile.read(pki + "/issued/app.crt"))[0]
        for engine in EngineUnderTest.all {
            let trust = try PKCS12Contents(
                der: try InputFile.read(out + "/truststore.p12"), password: "correct horse", includeKey: true,
                using: engine.backend)
            #expect(trust.key == nil && trust.certificates.map(\.der) == [ca])
            #expect(trust.certificates.map(\.friendlyName) == ["ca"])
            let keystore = try PKCS12Contents(
                der: try InputFile.read(out + "/app.p12"), password: "correct horse", includeKey: true,
                using: engine.backend)
            #expect(keystore.certificates.map(\.der) == [client, ca])
            #expect(try engine.backend.privateKey(try #require(keystore.key).key, matchesCertificate: client))
        }
    }

    @Test("bundle mongodb --java adds truststore.p12; --java needs a password and a password needs --java")
    func mongodbBundleJava() throws {
        let (scratch, pki, password) = try Self.pki("gnutls")
        let out = scratch.file("out")
        let bundle = ["bundle", "mongodb", "db1", "--dir", pki, "--out", out]
        let noPassword = try CLIRunner.run(bundle + ["--java"], environment: ["DBPKI_PASSWORD_FILE": ""])
        #expect(noPassword.status == 64 && noPassword.stderr.contains("--password-file"))
        let noJava = try CLIRunner.run(bundle + ["--password-file", password])
        #expect(noJava.status == 64 && noJava.stderr.contains("--java"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let written = try succeed(bundle + ["--java", "--password-file", password]).stdout
        #expect(written.contains(out + "/truststore.p12\n"))
        let trust = try PKCS12Contents(
            der: try InputFile.read(out + "/truststore.p12"), password: "correct horse", includeKey: false,
            using: EngineUnderTest.all[0].backend)
        #expect(trust.certificates.count == 1)
    }

    /// A PKI with keystores app.p12 (openssl) and db1.pfx (gnutls, legacy) in a folder beside a PEM certificate.
    static func fleet() throws -> (scratch: ScratchFolder, pki: String, password: String, folder: String) {
        let (scratch, pki, password) = try Self.pki("openssl")
        let folder = scratch.file("fleet")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try succeed(
            ["export", "pkcs12", "app", "--dir", pki, "--out", folder + "/app.p12", "--password-file", password])
        try succeed(
            ["export", "pkcs12", "db1", "--dir", pki, "--out", folder + "/db1.pfx", "--password-file", password]
                + ["--legacy", "--backend", "gnutls"])
        try FileManager.default.copyItem(atPath: pki + "/issued/db1.crt", toPath: folder + "/db1.crt")
        return (scratch, pki, password, folder)
    }

    @Test("inspect shows a keystore's certificates with its password, on both engines; a wrong one is exit 65")
    func inspectKeystore() throws {
        let (scratch, _, password, folder) = try Self.fleet()
        defer { withExtendedLifetime(scratch) {} }
        for backend in Self.backends {
            let shown = try succeed(
                ["inspect", folder + "/app.p12", "--password-file", password, "--json", "--backend", backend])
            let certificates = try #require(try jsonObject(shown)["certificates"] as? [[String: Any]])
            #expect(certificates.map { $0["subject"] as? String } == ["CN=app", "CN=P12 CA"])
            #expect(!shown.stdout.contains("PRIVATE KEY"))
            let wrong = try CLIRunner.run(["inspect", folder + "/db1.pfx", "--backend", backend])
            #expect(wrong.status == 65 && wrong.stderr.contains("db1.pfx") && wrong.stderr.contains("password"))
        }
    }

    @Test("audit of a folder with keystores it cannot open names each and exits 3, not 0 (issue 13)")
    func auditUnopenedKeystores() throws {
        let (scratch, _, password, folder) = try Self.fleet()
        let truncated = Array(try InputFile.read(folder + "/app.p12").prefix(300))
        _ = try scratch.write("fleet/broken.p12", truncated)
        let blind = try CLIRunner.run(["audit", folder], environment: ["DBPKI_PASSWORD_FILE": ""])
        #expect(blind.status == 3)
        for name in ["app.p12", "db1.pfx", "broken.p12"] {
            #expect(blind.stdout.contains("unreadable: \(folder)/\(name)"), "\(name) not named: \(blind.stdout)")
        }
        for backend in Self.backends {
            let opened = try CLIRunner.run(
                ["audit", folder, "--password-file", password, "--format", "json", "--backend", backend])
            #expect(opened.status == 3, "only broken.p12 stays unreadable")
            let report = try jsonObject(opened)
            let certificates = try #require(report["certificates"] as? [[String: Any]])
            #expect(Set(certificates.compactMap { $0["subject"] as? String }) == ["CN=app", "CN=db1", "CN=P12 CA"])
            let db1 = try #require(certificates.first { $0["subject"] as? String == "CN=db1" })
            #expect(Set(db1["locations"] as? [String] ?? []) == [folder + "/db1.crt", folder + "/db1.pfx"])
        }
        try FileManager.default.removeItem(atPath: folder + "/broken.p12")
        let clean = try CLIRunner.run(["audit", folder, "--password-file", password])
        #expect(clean.status == 0, "\(clean.stdout)")
    }

    @Test("verify bundle checks truststore.p12 like a PEM CA bundle, and refuses a keystore as a truststore")
    func verifyTruststore() throws {
        let (scratch, pki, password) = try Self.pki("openssl")
        let out = scratch.file("out")
        try succeed(
            ["bundle", "redis", "db1", "--dir", pki, "--out", out, "--client-cert", "app", "--java"]
                + ["--password-file", password])
        for backend in ["openssl", "gnutls", "both"] {
            try succeed(
                ["verify", "bundle", out + "/truststore.p12", "--password-file", password, "--backend", backend]
                    + ["--server-cert", pki + "/issued/db1.crt", "--host", "db1.example.com"])
        }
        let wrongHost = try CLIRunner.run(
            ["verify", "bundle", out + "/truststore.p12", "--password-file", password]
                + ["--server-cert", pki + "/issued/db1.crt", "--host", "db2.example.com"])
        #expect(wrongHost.status == 1)
        let noPassword = try CLIRunner.run(
            ["verify", "bundle", out + "/truststore.p12"], environment: ["DBPKI_PASSWORD_FILE": ""])
        #expect(noPassword.status == 1 && noPassword.stderr.contains("needs a password"))
        let keystore = try CLIRunner.run(["verify", "bundle", out + "/app.p12", "--password-file", password])
        #expect(keystore.status == 1 && keystore.stderr.contains("a private key in a truststore"))
    }
}
