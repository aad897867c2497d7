import DBPKITestSupport
import Foundation
import Testing

@testable import DBPKI

@Suite("MongoDB bundles with client certificates, x.509 users and cluster members")
struct MongoDBMutualTLSTests {
    let ca = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"

    func subject(_ cn: String, _ attributes: [(String, String)]) -> MongoDBSubject {
        MongoDBSubject(
            rdns: [[.init(oid: "2.5.4.3", value: cn)]]
                + attributes.reversed().map {
                    [MongoDBSubject.Attribute(oid: RFC4514.subjectTypes[$0.0]!, value: $0.1)]
                })
    }

    func bundle(_ version: String = "7.0", clients: [(String, MongoDBSubject)] = [], member: MongoDBSubject? = nil)
        throws -> MongoDBBundle
    {
        var bundle = MongoDBBundle(
            name: "db1", certificateChainPEM: "C", keyPEM: "K", trustedCAsPEM: ca,
            version: try MongoDBBundle.parseVersion(version),
            serverSubject: subject("db1", [("O", "Acme"), ("OU", "Databases")]))
        bundle.clients = clients.map { .init(name: $0.0, certificateKeyPEM: "CK", subject: $0.1) }
        bundle.member = member.map { .init(name: "rs0", certificateKeyPEM: "MK", subject: $0) }
        return bundle
    }

    @Test("with client certificates mongod.conf requires them, and each client gets CLIENT.pem, 0600")
    func clientsAreRequired() throws {
        let app = subject("app", [("O", "Acme"), ("OU", "Apps")])
        let files = try bundle(clients: [("app", app)]).files(outputDirectory: "/o")
        #expect(
            files.files.map(\.relativePath) == [
                "MongoDB-CA.crt", "app.pem", "server/db1.pem", "server/ca.crt", "server/mongod.conf",
                "server/x509-users.js",
            ])
        #expect(files.files[1].mode == 0o600 && files.files[1].contents == Array("CK".utf8))
        let conf = String(decoding: files.files[4].contents, as: UTF8.self)
        #expect(conf.contains("    mode: requireTLS\n    certificateKeyFile: \"/o/server/db1.pem\"\n    CAFile:"))
        #expect(!conf.contains("allowConnectionsWithoutCertificates"))
        let old = try bundle("4.0", clients: [("app", app)]).mongodConf(serverDirectory: "/s")
        #expect(old.contains("  ssl:\n    mode: requireSSL\n") && !old.contains("allowConnectionsWithoutCertificates"))
    }

    @Test("x509-users.js names each user by its subject, quoted for JavaScript, with the roles chosen")
    func usersScript() throws {
        let tricky = subject(#"app "quoted" \ back"#, [("O", "Acme, Inc."), ("OU", "Apps")])
        var users = try bundle(clients: [("app", tricky)])
        #expect(
            users.x509UsersScript.contains(
                #"runCommand({createUser: "CN=app \\\"quoted\\\" \\\\ back,OU=Apps,O=Acme\\, Inc.", roles: [{role: "readWriteAnyDatabase", db: "admin"}]}));"#
            ))
        users.roles = [try MongoDBRole.parse("readWrite@orders"), try MongoDBRole.parse("read")]
        #expect(
            users.x509UsersScript.contains(#"roles: [{role: "readWrite", db: "orders"}, {role: "read", db: "admin"}]"#))
        // Every command line is one JavaScript statement of db.getSiblingDB("$external").
        let commands = users.x509UsersScript.split(separator: "\n").filter { !$0.hasPrefix("//") && !$0.isEmpty }
        #expect(commands.count == 1 && commands[0].hasPrefix(#"printjson(db.getSiblingDB("$external").runCommand("#))
        for bad in ["", "read@", "@admin", "read@a/b", "read write", "r@d@e", "x\"y"] {
            #expect(throws: PKIError.self) { try MongoDBRole.parse(bad) }
        }
    }

    @Test("a client with the server's O, OU and DC is refused: mongod would take it for a cluster member")
    func clientsMustDifferFromMembers() throws {
        let lookalike = subject("app", [("OU", "Databases"), ("O", "Acme")])
        let error = #expect(throws: PKIError.self) {
            try bundle(clients: [("app", lookalike)]).files(outputDirectory: "/o")
        }
        #expect(error?.code == .invalidInput && error?.message.contains("cluster member") == true)
        // Without O, OU or DC a client is never a member; one more OU is enough to differ.
        #expect(throws: Never.self) { try bundle(clients: [("a", subject("a", []))]).files(outputDirectory: "/o") }
        let more = subject("b", [("O", "Acme"), ("OU", "Databases"), ("OU", "Apps")])
        #expect(throws: Never.self) { try bundle(clients: [("b", more)]).files(outputDirectory: "/o") }
        let twins = [("a", subject("x", [("OU", "Apps")])), ("b", subject("x", [("OU", "Apps")]))]
        #expect(throws: PKIError.self) { try bundle(clients: twins).files(outputDirectory: "/o") }
    }

    @Test("a member gets clusterFile and cluster-auth.conf, and must carry the server's O, OU and DC")
    func members() throws {
        let member = subject("rs0", [("O", "Acme"), ("OU", "Databases")])
        let files = try bundle(member: member).files(outputDirectory: "/o")
        #expect(files.files.map(\.relativePath).contains("server/rs0.pem"))
        #expect(files.files.first { $0.relativePath == "server/rs0.pem" }?.mode == 0o600)
        let conf = try bundle(member: member).mongodConf(serverDirectory: "/etc/mongod")
        #expect(conf.contains("    clusterFile: \"/etc/mongod/rs0.pem\"\n"))
        #expect(
            try bundle("4.0", member: member).mongodConf(serverDirectory: "/s").contains(
                "    clusterFile: \"/s/rs0.pem\""))
        let auth = try bundle(member: member).clusterAuthConf
        #expect(auth.hasSuffix("security:\n  clusterAuthMode: x509\n") && auth.contains("(O=Acme,OU=Databases)"))
        for other in [subject("rs0", [("O", "Acme"), ("OU", "Other")]), subject("rs0", [])] {
            let error = #expect(throws: PKIError.self) { try bundle(member: other).files(outputDirectory: "/o") }
            #expect(error?.message.contains("cannot be a cluster member of 'db1'") == true)
        }
    }

    @Test(
        "the server directory must be absolute and carry nothing a config cannot",
        arguments: [
            "relative/dir", "", "/a\nb", "/a\"b", "/a'b", "/a\\b", "/a#b", "/a;b", "/a\u{7f}b", "/a ", " /a", "/a$b",
        ])
    func installDirectoryRefusals(path: String) {
        let error = #expect(throws: PKIError.self) { try ConfigText.installDirectory(path) }
        #expect(error?.code == .invalidArgument)
    }

    @Test("the server directory is used as given, without a trailing slash")
    func installDirectory() throws {
        #expect(try ConfigText.installDirectory("/etc/mongod tls/") == "/etc/mongod tls")
        #expect(try ConfigText.installDirectory("/") == "/")
    }
}
