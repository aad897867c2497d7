import DBPKITestSupport
import Foundation
import Testing

/// A PKI and a set of broken inputs that provoke every failure a command documents.
final class BrokenInputs {
    let scratch: ScratchFolder
    /// A PKI with a CA, a server certificate db1 and a client certificate app.
    let pki: String
    /// The same PKI with a `ca.crt` that is not a certificate.
    let badCA: String
    /// The same PKI with `.lock` a directory, so the PKI cannot be opened (an I/O error).
    let lockedOut: String
    /// The same PKI with the CA key and db1's key in legacy encrypted PEM (RFC 1421 headers).
    let legacyKeys: String
    /// An empty folder: no CA.
    let empty: String
    /// A regular file where a folder is expected.
    let regularFile: String
    /// A file that is not PEM or DER.
    let garbage: String
    /// A symbolic link to itself: reading it fails with ELOOP.
    let loop: String
    /// The CA certificate as a TRUSTED CERTIFICATE block.
    let trusted: String
    /// The CA certificate with an RFC 1421 header line.
    let headers: String
    /// A password file (mode 0600) and one holding another password.
    let passwordFile: String
    let wrongPasswordFile: String

    init(backend: String = "openssl") throws {
        scratch = try ScratchFolder()
        pki = scratch.file("pki")
        try succeed(["init", "--dir", pki, "--name", "Exit CA", "--backend", backend])
        try succeed(["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--backend", backend])
        try succeed(["issue", "app", "--dir", pki, "--client", "--backend", backend])
        let files = FileManager.default
        let (scratch, pki) = (scratch, pki)
        func copy(_ name: String) throws -> String {
            let path = scratch.file(name)
            try files.copyItem(atPath: pki, toPath: path)
            return path
        }
        badCA = try copy("bad-ca")
        try "not a certificate\n".write(toFile: badCA + "/ca.crt", atomically: true, encoding: .utf8)
        lockedOut = try copy("locked-out")
        try files.removeItem(atPath: lockedOut + "/.lock")
        try files.createDirectory(atPath: lockedOut + "/.lock", withIntermediateDirectories: false)
        legacyKeys = try copy("legacy-keys")
        let legacy = """
            -----BEGIN EC PRIVATE KEY-----
            Proc-Type: 4,ENCRYPTED
            DEK-Info: AES-128-CBC,C70A8CCF6406FB91CE7C6751A7F616A2

            AAAA
            -----END EC PRIVATE KEY-----

            """
        for key in ["/ca.key", "/issued/db1.key"] {
            try legacy.write(toFile: legacyKeys + key, atomically: true, encoding: .utf8)
        }
        empty = scratch.file("empty")
        try files.createDirectory(atPath: empty, withIntermediateDirectories: false)
        regularFile = scratch.file("a-file")
        try "".write(toFile: regularFile, atomically: true, encoding: .utf8)
        garbage = scratch.file("garbage.pem")
        try "garbage\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        loop = scratch.file("loop")
        try files.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        let ca = try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8)
        trusted = scratch.file("trusted.pem")
        try ca.replacingOccurrences(of: " CERTIFICATE-----", with: " TRUSTED CERTIFICATE-----")
            .write(toFile: trusted, atomically: true, encoding: .utf8)
        headers = scratch.file("headers.pem")
        try ca.replacingOccurrences(of: "BEGIN CERTIFICATE-----\n", with: "BEGIN CERTIFICATE-----\nComment: x\n")
            .write(toFile: headers, atomically: true, encoding: .utf8)
        passwordFile = try scratch.write("ca.pass", "exit-status-password\n")
        wrongPasswordFile = try scratch.write("wrong.pass", "not-it\n")
        for file in [passwordFile, wrongPasswordFile] { chmod(file, 0o600) }
    }
}

@Suite("Exit statuses: each command exits only with statuses its --help declares, and with each of them")
struct ExitStatusCLITests {
    /// 70 (an engine failure dbpki does not expect) is declared by the commands that call an
    /// engine, but nothing a user can hand dbpki provokes it on purpose.
    static let unprovokable: Set<Int32> = [70]

    /// Every command path, from the root's and each group's SUBCOMMANDS list.
    static func commandPaths(_ prefix: [String] = []) throws -> [[String]] {
        let help = try CLIRunner.run(prefix + ["--help"], environment: ["COLUMNS": "200"])
        let names = section("SUBCOMMANDS:", of: help.stdout).compactMap {
            $0.split(separator: " ").first.map(String.init)
        }.filter { $0 != "help" }
        return try [prefix] + names.flatMap { try commandPaths(prefix + [$0]) }
    }

    /// The lines of a `--help` section (after its title, up to a blank line).
    static func section(_ title: String, of help: String) -> [String] {
        let lines = help.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: title) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.isEmpty })
    }

    /// The statuses `dbpki PATH --help` declares in its "Exit status:" block (80 columns: every line
    /// of the block must be `  CODE  meaning`, so none wraps).
    static func declared(_ path: [String]) throws -> [Int32: String] {
        let help = try CLIRunner.run(path + ["--help"], environment: ["COLUMNS": "80"])
        var statuses = [Int32: String]()
        for line in section("Exit status:", of: help.stdout) {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard line.hasPrefix("  "), parts.count == 2, let code = Int32(parts[0]) else {
                Issue.record("dbpki \(path.joined(separator: " ")) --help: '\(line)' is not '  CODE  meaning'")
                continue
            }
            statuses[code] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return statuses
    }

    /// One provocation: run `arguments`, expect `status`.
    struct Provocation: CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        var environment: [String: String] = ["DBPKI_DIR": ""]
        var description: String { "dbpki \(arguments.joined(separator: " ")) (exit \(status))" }
    }

    /// What provokes each status of each command, run in order (later ones may rely on earlier ones).
    static func provocations(_ path: String, _ x: BrokenInputs) -> [Provocation] {
        let pki = x.pki
        func p(_ status: Int32, _ arguments: [String]) -> Provocation {
            Provocation(arguments: arguments, status: status)
        }
        let db1 = pki + "/issued/db1.crt"
        let out = x.scratch.file("out")
        switch path {
        case "":
            return [p(0, ["--version"]), p(0, ["--help"]), p(64, ["--bogus"]), p(64, ["nosuch"])]
        case "init":
            return [
                p(0, ["init", "--dir", x.scratch.file("new"), "--name", "New CA"]),
                p(
                    0,
                    ["init", "--dir", x.scratch.file("waiting"), "--name", "W", "--csr-out", x.scratch.file("w.csr")]),
                p(
                    1,
                    [
                        "init", "--dir", x.scratch.file("waiting"), "--import", pki + "/ca.crt", "--root",
                        pki + "/ca.crt",
                    ]),
                p(64, ["init", "--dir", x.scratch.file("other"), "--name", "CA", "--days", "0"]),
                p(64, ["init", "--name", "CA"]),
                p(
                    66,
                    ["init", "--dir", x.scratch.file("enc"), "--name", "CA", "--encrypt-key", "--password-file", out]),
                p(65, ["init", "--dir", x.scratch.file("sub"), "--name", "Sub", "--parent", x.badCA]),
                p(66, ["init", "--dir", x.scratch.file("sub"), "--name", "Sub", "--parent", x.scratch.file("none")]),
                p(73, ["init", "--dir", pki, "--name", "Again"]),
                p(74, ["init", "--dir", x.regularFile, "--name", "CA"]),
                p(74, ["init", "--dir", x.lockedOut, "--name", "CA"]),
            ]
        case "issue":
            return [
                p(0, ["issue", "db2", "--dir", pki, "--dns", "db2.example.com"]),
                p(64, ["issue", "inter", "--dir", pki, "--ca"]),
                p(64, ["issue", "db3", "--dir", pki]),
                p(65, ["issue", "db3", "--dir", x.badCA, "--client"]),
                p(66, ["issue", "db3", "--dir", x.empty, "--client"]),
                p(69, ["issue", "db3", "--dir", x.legacyKeys, "--client"]),
                p(73, ["issue", "db1", "--dir", pki, "--dns", "db1.example.com"]),
                p(74, ["issue", "db3", "--dir", x.lockedOut, "--client"]),
            ]
        case "sign":
            let request = try? SigningRequestFiles.write(.good(keyType: "ecdsa-p256"), name: "host", in: x.scratch)
            let csr = request ?? x.garbage
            return [
                p(0, ["sign", csr, "--dir", pki, "db4", "--dns", "db4.example.com"]),
                p(64, ["sign", csr, "--dir", pki, "db5"]),
                p(64, ["sign", csr, "--dir", pki, "--ca"]),
                p(65, ["sign", csr, "--dir", pki, "--ca", "--out", out]),
                p(65, ["sign", x.garbage, "--dir", pki, "db5", "--dns", "db5.example.com"]),
                p(66, ["sign", csr, "--dir", x.empty, "db5", "--dns", "db5.example.com"]),
                p(69, ["sign", csr, "--dir", x.legacyKeys, "db5", "--dns", "db5.example.com"]),
                p(73, ["sign", csr, "--dir", pki, "db1", "--dns", "db1.example.com"]),
                p(74, ["sign", csr, "--dir", x.lockedOut, "db5", "--dns", "db5.example.com"]),
            ]
        case "renew":
            return [
                p(0, ["renew", "db1", "--dir", pki]),
                p(0, ["renew", "--expiring-within", "1", "--dir", pki]),
                p(64, ["renew", "--dir", pki]),
                p(65, ["renew", "db1", "--dir", x.badCA]),
                p(66, ["renew", "nosuch", "--dir", pki]),
                p(69, ["renew", "db1", "--dir", x.legacyKeys]),
                p(74, ["renew", "db1", "--dir", x.lockedOut]),
            ]
        case "ca", "bundle", "verify", "export":
            return [p(0, [path]), p(64, [path, "nosuch"])]
        case "export pkcs12":
            // Any password file at mode 0600 will do.
            func export(_ name: String, _ dir: String, _ file: String, password: String? = x.passwordFile) -> [String] {
                ["export", "pkcs12", name, "--dir", dir, "--out", file]
                    + (password.map { ["--password-file", $0] } ?? [])
            }
            let p12 = x.scratch.file("db1.p12")
            return [
                p(0, export("db1", pki, p12)),
                p(64, export("db1", pki, x.scratch.file("other.p12"), password: nil)),
                p(65, export("db1", x.badCA, x.scratch.file("other.p12"))),
                p(66, export("nosuch", pki, x.scratch.file("other.p12"))),
                p(66, export("db1", pki, x.scratch.file("other.p12"), password: x.scratch.file("nosuch.txt"))),
                p(69, export("db1", x.legacyKeys, x.scratch.file("other.p12"))),
                p(73, export("db1", pki, p12)),
                p(74, export("db1", pki, x.scratch.file("no-such-folder/db1.p12"))),
            ]
        case "ca rollover":
            return [
                p(0, ["ca", "rollover", "--dir", pki]),
                p(64, ["ca", "rollover", "--dir", pki, "--days", "0"]),
                p(65, ["ca", "rollover", "--dir", x.badCA]),
                p(66, ["ca", "rollover", "--dir", x.empty]),
                p(69, ["ca", "rollover", "--dir", x.legacyKeys]),
                p(73, ["ca", "rollover", "--dir", pki]),
                p(74, ["ca", "rollover", "--dir", x.lockedOut]),
            ]
        case "ca change-password":
            let change = ["ca", "change-password", "--dir"]
            return [
                p(64, change + [pki]),
                p(66, change + [x.empty, "--new-password-file", x.passwordFile]),
                p(74, change + [x.lockedOut, "--new-password-file", x.passwordFile]),
                p(0, change + [pki, "--new-password-file", x.passwordFile]),
                p(65, change + [pki, "--password-file", x.wrongPasswordFile, "--new-password-file", x.passwordFile]),
            ]
        case "ca status":
            return [
                p(0, ["ca", "status", "--dir", pki]), p(64, ["ca", "status"]),
                p(66, ["ca", "status", "--dir", x.empty]), p(74, ["ca", "status", "--dir", x.lockedOut]),
            ]
        case "ca retire-old":
            return [
                p(66, ["ca", "retire-old", "--dir", pki]),
                p(0, ["ca", "rollover", "--dir", pki]),  // db1 and app are now on the old CA
                p(1, ["ca", "retire-old", "--dir", pki]),
                p(0, ["ca", "retire-old", "--dir", pki, "--force"]),
                p(64, ["ca", "retire-old", "--dir", pki, "--forse"]),
                p(74, ["ca", "retire-old", "--dir", x.lockedOut]),
            ]
        case "list":
            return [
                p(0, ["list", "--dir", pki]), p(64, ["list"]), p(66, ["list", "--dir", x.empty]),
                p(74, ["list", "--dir", x.lockedOut]),
            ]
        case "revoke":
            return [
                p(0, ["revoke", "db1", "--dir", pki]),
                p(64, ["revoke", "--dir", pki]),
                p(66, ["revoke", "nosuch", "--dir", pki]),
                p(73, ["revoke", "db1", "--dir", pki]),
                p(74, ["revoke", "db1", "--dir", x.lockedOut]),
            ]
        case "crl":
            return [
                p(0, ["crl", "--dir", pki, "--out", x.scratch.file("a.crl")]),
                p(64, ["crl", "--dir", pki, "--out", x.scratch.file("a.crl"), "--days", "0"]),
                p(65, ["crl", "--dir", x.badCA, "--out", x.scratch.file("b.crl")]),
                p(66, ["crl", "--dir", pki, "--out", x.scratch.file("c.crl"), "--ca", "old"]),
                p(0, ["revoke", "db1", "--dir", pki, "--reason", "keyCompromise"]),
                p(69, ["crl", "--dir", pki, "--out", x.scratch.file("d.crl"), "--backend", "gnutls"]),
                p(69, ["crl", "--dir", x.legacyKeys, "--out", x.scratch.file("d.crl")]),
                p(74, ["crl", "--dir", pki, "--out", x.scratch.file("no-such-folder/e.crl")]),
            ]
        case "doctor":
            return [
                p(0, ["doctor", "--dir", pki]), p(1, ["doctor", "--dir", x.badCA]), p(64, ["doctor"]),
                p(66, ["doctor", "--dir", x.empty]), p(74, ["doctor", "--dir", x.lockedOut]),
            ]
        case "bundle mongodb", "bundle redis":
            let kind = path.split(separator: " ")[1]
            let version = kind == "redis" ? "--redis-version" : "--mongodb-version"
            return [
                p(0, ["bundle", String(kind), "db1", "--dir", pki, "--out", out]),
                p(64, ["bundle", String(kind), "db1", "--dir", pki, "--out", out, version, "3.2"]),
                p(64, ["bundle", String(kind), "app", "--dir", pki, "--out", out]),
                p(65, ["bundle", String(kind), "db1", "--dir", x.badCA, "--out", out]),
                p(66, ["bundle", String(kind), "nosuch", "--dir", pki, "--out", out]),
                p(69, ["bundle", String(kind), "db1", "--dir", x.legacyKeys, "--out", out]),
                p(73, ["bundle", String(kind), "db1", "--dir", pki, "--out", x.regularFile]),
                Provocation(
                    arguments: ["bundle", String(kind), "db1", "--dir", pki, "--out", out], status: 74,
                    environment: ["DBPKI_DIR": "", "DBPKI_FAILPOINT": "bundle.write-1:EIO"]),
            ]
        case "inspect":
            return [
                p(0, ["inspect", db1]), p(64, ["inspect"]), p(65, ["inspect", x.garbage]),
                p(66, ["inspect", x.scratch.file("nosuch.crt")]), p(69, ["inspect", x.headers]),
                p(74, ["inspect", x.loop]),
            ]
        case "audit":
            return [
                p(0, ["audit", "--dir", pki]),
                p(1, ["audit", "--dir", pki, "--warn-days", "900"]),
                p(2, ["audit", "--dir", pki, "--at", "2100-01-01T00:00:00Z"]),
                p(3, ["audit", x.empty]),
                p(3, ["audit", x.garbage]),
                p(64, ["audit"]),
                p(74, ["audit", "--dir", pki, "--output", x.scratch.file("no-such-folder/audit.txt")]),
            ]
        case "verify chain":
            let trust = ["--trust", pki + "/ca.crt"]
            return [
                p(0, ["verify", "chain", db1] + trust + ["--host", "db1.example.com"]),
                p(1, ["verify", "chain", db1] + trust + ["--host", "db2.example.com"]),
                p(64, ["verify", "chain", db1] + trust + ["--max-intermediates", "65"]),
                p(65, ["verify", "chain", x.garbage] + trust),
                p(66, ["verify", "chain", x.scratch.file("nosuch.crt")] + trust),
                p(69, ["verify", "chain", x.trusted] + trust),
                p(74, ["verify", "chain", x.loop] + trust),
            ]
        case "verify bundle":
            let ca = pki + "/ca.crt"
            return [
                p(0, ["verify", "bundle", ca]),
                p(1, ["verify", "bundle", x.garbage]),
                p(64, ["verify", "bundle", ca, "--host", "db1.example.com"]),
                p(65, ["verify", "bundle", ca, "--server-cert", x.garbage]),
                p(66, ["verify", "bundle", x.scratch.file("nosuch.crt")]),
                p(69, ["verify", "bundle", ca, "--server-cert", x.trusted]),
                p(74, ["verify", "bundle", x.loop]),
            ]
        case "version":
            return [p(0, ["version"]), p(64, ["version", "--backend", "nss"])]
        default:
            return []
        }
    }

    static let commands = [
        "", "init", "issue", "sign", "renew", "ca", "ca rollover", "ca change-password", "ca status", "ca retire-old",
        "list", "revoke", "crl", "doctor", "bundle", "bundle mongodb", "bundle redis", "export", "export pkcs12",
        "inspect", "audit", "verify", "verify chain",
        "verify bundle", "version",
    ]

    @Test("every command (and group) has an Exit status block, and the tests below cover every command")
    func everyCommandDeclares() throws {
        let paths = try Self.commandPaths().map { $0.joined(separator: " ") }
        #expect(Set(paths) == Set(Self.commands))
        for path in paths {
            let declared = try Self.declared(path.split(separator: " ").map(String.init))
            #expect(declared[0] != nil && declared[64] != nil, "dbpki \(path) --help declares \(declared)")
        }
    }

    @Test("each declared status is provoked, and each provocation exits with its declared status", arguments: commands)
    func statuses(command: String) throws {
        let declared = try Self.declared(command.split(separator: " ").map(String.init))
        let inputs = try BrokenInputs()
        var provoked = Set<Int32>()
        for provocation in Self.provocations(command, inputs) {
            let outcome = try CLIRunner.run(provocation.arguments, environment: provocation.environment)
            #expect(outcome.status == provocation.status, "\(provocation): \(outcome.stderr)")
            #expect(!outcome.killedBySignal, "\(provocation) was killed")
            if provocation.arguments.starts(with: command.split(separator: " ").map(String.init)) {
                #expect(declared[outcome.status] != nil, "\(provocation): exit \(outcome.status) is not declared")
                provoked.insert(outcome.status)
            }
            if outcome.status >= 64 {
                #expect(outcome.stderr.hasPrefix("error: "), "\(provocation): \(outcome.stderr)")
                #expect(outcome.stderr.split(separator: "\n").count == 1, "\(provocation): \(outcome.stderr)")
            }
        }
        let missing = Set(declared.keys).subtracting(provoked).subtracting(Self.unprovokable)
        #expect(missing.isEmpty, "dbpki \(command): declared but never provoked: \(missing.sorted())")
    }
}
