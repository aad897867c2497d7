import ArgumentParser
import DBPKI
import Foundation

struct MongoDBBundleCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "mongodb",
        abstract: "Write MongoDB-CA.crt for clients and NAME.pem, ca.crt and mongod.conf for mongod.",
        discussion: """
            OUT/MongoDB-CA.crt is what clients download: only the CA certificates they must trust. OUT/server/ \
            holds NAME.pem (certificate, intermediates, key; mode 0600), ca.crt and mongod.conf, a net: section \
            with absolute paths: net.ssl.* for MongoDB 4.0, net.tls.* for 4.2 and later. MongoDB before 4.0 is \
            refused. --server-dir names the files in mongod.conf where they will be installed on the server \
            (an absolute path); they are still written to OUT/server.

            Mutual TLS: with --client-cert CLIENT (repeatable; certificates issued with --client), mongod.conf \
            requires a client certificate (no allowConnectionsWithoutCertificates), OUT/CLIENT.pem (certificate, \
            intermediates, key; mode 0600) is that client's tlsCertificateKeyFile, and OUT/server/x509-users.js \
            creates each client's x.509 user in $external, named by its certificate's subject exactly as mongod \
            derives it (RFC 2253, most specific first, as 'openssl x509 -noout -subject -nameopt RFC2253' prints \
            it), with the roles of --x509-role (default readWriteAnyDatabase@admin). A client that is revoked, \
            expired, not a client certificate or without its key is refused, and so is one whose O, OU and DC \
            equal the server certificate's: mongod would take it for a cluster member (MongoDB's rule for x.509 \
            users). Give clients their own OU, such as 'dbpki issue app --client --subject "O=Acme,OU=Apps"'.

            Cluster members: --member MEMBER (issued with 'dbpki issue --member', serverAuth and clientAuth) writes \
            OUT/server/MEMBER.pem, names it as clusterFile in mongod.conf, and writes OUT/server/cluster-auth.conf \
            with security.clusterAuthMode: x509. MEMBER's O, OU and DC must equal the server certificate's (mongod \
            accepts a peer as a member by them); MEMBER may be NAME itself.

            Prints every path written, one per line. --json prints one object: name, database ("mongodb"), \
            version, the server certificate's subject, issuer, serial, not_after and fingerprint_sha256 (as in \
            'dbpki list --json'), client_download (the path of MongoDB-CA.crt), x509_users (for each client: \
            client and user), member (the --member name, or null) and files (every path written).

            Examples:
              dbpki bundle mongodb db1 --dir pki --out out --mongodb-version 4.2
              mongosh --tls --tlsCAFile out/MongoDB-CA.crt --host db1.example.com
              dbpki bundle mongodb db1 --dir pki --out out --client-cert app --server-dir /etc/mongod-tls
              mongosh --tls --tlsCAFile out/MongoDB-CA.crt --tlsCertificateKeyFile out/app.pem --host db1.example.com
              DBPKI_DIR=pki dbpki bundle mongodb db1 --out out --json | jq -r .serial

            """ + ExitStatus.help("bundle mongodb")
    )

    @OptionGroup var location: BundleOptions

    @Option(
        help: "The mongod version the config is for: 4.0, 4.2, 4.4, 5.0, 6.0 or 7.0.",
        completion: .list(MongoDBBundle.supportedVersions.map(\.description)))
    var mongodbVersion: String = MongoDBBundle.defaultVersion.description

    @Option(
        help: ArgumentHelp(
            "Require client certificates and ship this one (issued with --client) with its x.509 user; repeatable.",
            valueName: "client"))
    var clientCert: [String] = []

    @Option(
        help: ArgumentHelp(
            "A role for every --client-cert x.509 user, ROLE@DATABASE (default readWriteAnyDatabase@admin); repeatable.",
            valueName: "role@db"))
    var x509Role: [String] = []

    @Option(
        help: "The cluster member certificate (issued with --member) for net.tls.clusterFile and x509 cluster auth.")
    var member: String?

    @Option(
        help: ArgumentHelp(
            "The absolute directory the server files will be installed in, as mongod.conf names them.",
            valueName: "dir"))
    var serverDir: String?

    @OptionGroup(title: "Java") var javaStores: JavaStoreOptions

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    @OptionGroup var keyPassword: KeyPasswordOption

    func check() throws {
        try location.pki.check()
        try javaStores.check()
        _ = try MongoDBBundle.parseVersion(mongodbVersion)
        for client in clientCert { try PKIDirectory.validate(name: client) }
        if let duplicate = Dictionary(grouping: clientCert, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ValidationError("--client-cert '\(duplicate)' is given twice")
        }
        if let member { try PKIDirectory.validate(name: member) }
        if let member, clientCert.contains(member) {
            throw ValidationError("'\(member)' cannot be both --member and --client-cert")
        }
        if !x509Role.isEmpty && clientCert.isEmpty { throw ValidationError("--x509-role needs --client-cert") }
        for role in x509Role { _ = try MongoDBRole.parse(role) }
        if let serverDir { _ = try ConfigText.installDirectory(serverDir) }
    }

    func run() throws {
        let source = try BundleSource(
            engine: engine, dir: try location.pki.path(), name: location.name, clients: clientCert, member: member,
            keyPassword: keyPassword)
        let version = try MongoDBBundle.parseVersion(mongodbVersion)
        var bundle = try MongoDBBundle(name: location.name, material: source.material, version: version)
        if !x509Role.isEmpty { bundle.roles = try x509Role.map(MongoDBRole.parse) }
        bundle.serverDirectory = try serverDir.map(ConfigText.installDirectory)
        let output = FilePaths.absolute(location.out)
        var files = try bundle.files(outputDirectory: output)
        try javaStores.add(to: &files, from: source)
        let written = try files.write(to: output)
        withExtendedLifetime(source) {}  // the PKI's lock is held until the bundle is written
        for path in written { report.say(path) }
        try report.emit {
            source.object(
                name: location.name, database: "mongodb", version: version.description,
                clientDownload: output + "/MongoDB-CA.crt", files: written
            ).merging(
                [
                    "x509_users": bundle.clients.map { ["client": $0.name, "user": $0.subject.userName] },
                    "member": member as Any? ?? NSNull(),
                ], uniquingKeysWith: { a, _ in a })
        }
    }
}
