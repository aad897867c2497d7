import ArgumentParser
import DBPKI
import Foundation

struct ExportPKCS12Command: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "pkcs12",
        abstract: "Write NAME's key, certificate and chain as a PKCS#12 file (.p12/.pfx) for Java, .NET or Windows.",
        discussion: """
            FILE holds NAME's private key and certificate under the alias (friendly name) NAME, linked by a \
            local key id, and the chain up to the issuing CA. It is protected with the password on the first \
            line of --password-file (or of the file DBPKI_PASSWORD_FILE names); a password is never taken \
            from the command line. By default the key and certificates are encrypted with AES-256-CBC (PBES2, \
            PBKDF2-HMAC-SHA256) under a SHA-256 MAC, which Java 8u301 and later, .NET and OpenSSL 1.1.1 and \
            later read; --legacy uses 3DES (pbeWithSHAAnd3-KeyTripleDES-CBC) and a SHA-1 MAC for older Windows \
            and Java 8.

            FILE is written with mode 0600, atomically; an existing FILE is refused unless --force. NAME must \
            be an active certificate whose key is in the PKI; its files are checked against the inventory first.

            Examples:
              dbpki export pkcs12 app --dir pki --out app.p12 --password-file pass.txt
              keytool -list -keystore app.p12 -storetype PKCS12 -storepass:file pass.txt
              DBPKI_PASSWORD_FILE=pass.txt dbpki export pkcs12 app --dir pki --out app.pfx --legacy --json

            --json prints one object: name, serial, not_after, file (FILE), algorithms ("aes-256" or \
            "legacy-3des") and files (every path written).

            """ + ExitStatus.help("export pkcs12")
    )

    @Argument(help: "The issued certificate's name.")
    var name: String

    @OptionGroup var pki: PKIDirectoryOption

    @Option(help: "The PKCS#12 file to write.", completion: .file())
    var out: String

    @OptionGroup var password: PasswordFileOption

    @Flag(help: "3DES and a SHA-1 MAC, for Windows before Server 2019 and Java 8 before 8u301.")
    var legacy = false

    @Flag(help: "Replace FILE if it exists.")
    var force = false

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws {
        try pki.check()
        try PKIDirectory.validate(name: name)
        if password.path == nil { _ = try password.requiredPassword() }
    }

    func run() throws {
        let secret = try password.requiredPassword()
        let store = try engine.openStore(try pki.path())
        let protection: PKCS12Protection = legacy ? .legacy : .aes256
        let file = try store.pkcs12Keystore(name: name, password: secret, protection: protection)
        let path = FilePaths.absolute(out)
        try AtomicFile.write(file, to: path, mode: AtomicFile.privateMode, overwrite: force)
        report.say(path)
        try report.emit {
            let record = try store.inventory.current(name: name)
            return [
                "name": name, "serial": record?.serial as Any? ?? NSNull(),
                "not_after": record.map { RFC3339.format($0.notAfter) } as Any? ?? NSNull(), "file": path,
                "algorithms": legacy ? "legacy-3des" : "aes-256", "files": [path],
            ]
        }
    }
}
