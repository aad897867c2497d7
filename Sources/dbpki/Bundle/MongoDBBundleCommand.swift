import ArgumentParser
import DBPKI

struct MongoDBBundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mongodb",
        abstract: "Write MongoDB-CA.crt for clients and NAME.pem, ca.crt and mongod.conf for mongod.",
        discussion: """
            OUT/MongoDB-CA.crt is what clients download: only the CA certificates they must trust. OUT/server/ \
            holds NAME.pem (certificate, intermediates, key; mode 0600), ca.crt and mongod.conf, a net: section \
            with absolute paths: net.ssl.* for MongoDB 4.0, net.tls.* for 4.2 and later. MongoDB before 4.0 is \
            refused.

            Example:
              dbpki bundle mongodb db1 --dir pki --out out --mongodb-version 4.2
              mongosh --tls --tlsCAFile out/MongoDB-CA.crt --host db1.example.com
            """
    )

    @OptionGroup var location: BundleOptions

    @Option(
        help: "The mongod version the config is for: 4.0, 4.2, 4.4, 5.0, 6.0 or 7.0.",
        completion: .list(MongoDBBundle.supportedVersions.map(\.description)))
    var mongodbVersion: String = MongoDBBundle.defaultVersion.description

    @OptionGroup var engine: EngineOptions

    func validate() throws {
        _ = try MongoDBBundle.parseVersion(mongodbVersion)
    }

    func run() throws {
        let source = try BundleSource(engine: engine, dir: location.dir, name: location.name)
        let bundle = MongoDBBundle(
            name: location.name, certificateChainPEM: source.certificatePEM, keyPEM: source.keyPEM,
            trustedCAsPEM: source.trustedCAsPEM, version: try MongoDBBundle.parseVersion(mongodbVersion))
        let output = FilePaths.absolute(location.out)
        for path in try bundle.files(outputDirectory: output).write(to: output) { print(path) }
        withExtendedLifetime(source) {}
    }
}
