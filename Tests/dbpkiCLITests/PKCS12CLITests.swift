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
        return (scratch, pki, try scratch.write("pass.txt", "correct horse\nsecond line\n"))
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
}
