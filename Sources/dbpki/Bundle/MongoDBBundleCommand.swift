import ArgumentParser
import DBPKI

struct MongoDBBundleCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "mongodb",
        abstract: "Write MongoDB-CA.crt for clients and NAME.pem, ca.crt and mongod.conf for mongod.",
        discussion: """
            OUT/MongoDB-CA.crt is what clients download: only the CA certificates they must trust. OUT/server/ \
            holds NAME.pem (certificate, intermediates, key; mode 0600), ca.crt and mongod.conf, a net: section \
            with absolute paths: net.ssl.* for MongoDB 4.0, net.tls.* for 4.2 and later. MongoDB before 4.0 is \
            refused.

            Prints every path written, one per line. --json prints one object: name, database ("mongodb"), \
            version, the server certificate's subject, issuer, serial, not_after and fingerprint_sha256 (as in \
            'dbpki list --json'), client_download (the path of MongoDB-CA.crt) and files (every path written).

            Examples:
              dbpki bundle mongodb db1 --dir pki --out out --mongodb-version 4.2
              mongosh --tls --tlsCAFile out/MongoDB-CA.crt --host db1.example.com
              DBPKI_DIR=pki dbpki bundle mongodb db1 --out out --json | jq -r .serial

            """ + ExitStatus.help("bundle mongodb")
    )

    @OptionGroup var location: BundleOptions

    @Option(
        help: "The mongod version the config is for: 4.0, 4.2, 4.4, 5.0, 6.0 or 7.0.",
        completion: .list(MongoDBBundle.supportedVersions.map(\.description)))
    var mongodbVersion: String = MongoDBBundle.defaultVersion.description

    @OptionGroup(title: "Java") var javaStores: JavaStoreOptions

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    func check() throws {
        try location.pki.check()
        try javaStores.check()
        _ = try MongoDBBundle.parseVersion(mongodbVersion)
    }

    func run() throws {
        let source = try BundleSource(engine: engine, dir: try location.pki.path(), name: location.name)
        let version = try MongoDBBundle.parseVersion(mongodbVersion)
        let bundle = MongoDBBundle(
            name: location.name, certificateChainPEM: source.certificatePEM, keyPEM: source.keyPEM,
            trustedCAsPEM: source.trustedCAsPEM, version: version)
        let output = FilePaths.absolute(location.out)
        var files = bundle.files(outputDirectory: output)
        try javaStores.add(to: &files, from: source)
        let written = try files.write(to: output)
        withExtendedLifetime(source) {}  // the PKI's lock is held until the bundle is written
        for path in written { report.say(path) }
        try report.emit {
            source.object(
                name: location.name, database: "mongodb", version: version.description,
                clientDownload: output + "/MongoDB-CA.crt", files: written)
        }
    }
}
