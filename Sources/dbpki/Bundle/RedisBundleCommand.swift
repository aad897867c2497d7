import ArgumentParser
import DBPKI
import Foundation

struct RedisBundleCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis",
        abstract: "Write NAME-crt.zip for clients and the TLS files and config for redis-server (or stunnel).",
        discussion: """
            OUT/NAME-crt.zip is what clients download: ca.crt and, with --client-cert, that client's certificate \
            and key (the zip is then mode 0600 and the server requires client certificates). OUT/server/ holds \
            NAME.crt, NAME.key (0600), ca.crt and redis-tls.conf (Redis 6.0 and later: port 0, tls-port, absolute \
            paths). Redis 4.0 and 5.0 have no TLS: for them OUT/server/stunnel.conf configures a TLS-terminating \
            stunnel 5 proxy on --tls-port (default 6380) in front of the plain Redis on 127.0.0.1:--plain-port. \
            --server-dir names the files in the config where they will be installed on the server (an absolute \
            path); they are still written to OUT/server.

            Examples:
              dbpki bundle redis cache1 --dir pki --out out
              redis-server out/server/redis-tls.conf
              unzip out/cache1-crt.zip -d client && redis-cli --tls --cacert client/ca.crt -h cache1.example.com
              dbpki bundle redis cache1 --dir pki --out out5 --redis-version 5.0 --client-cert app
              DBPKI_DIR=pki dbpki bundle redis cache1 --out out --json | jq .files

            Prints every path written, one per line. --json prints one object: name, database ("redis"), \
            version, the server certificate's subject, issuer, serial, not_after and fingerprint_sha256 (as in \
            'dbpki list --json'), client_download (the path of NAME-crt.zip), client_certificate (the \
            --client-cert name, or null) and files (every path written).

            """ + ExitStatus.help("bundle redis")
    )

    @OptionGroup var location: BundleOptions

    @Option(
        help: "The Redis version the config is for: 4.0, 5.0, 6.0, 6.2, 7.0 or 7.2.",
        completion: .list(RedisBundle.supportedVersions.map(\.description)))
    var redisVersion: String = RedisBundle.defaultVersion.description

    @Option(help: "The TLS port (default 6379; 6380 for the stunnel proxy of Redis 4.0/5.0).")
    var tlsPort: Int?

    @Option(help: "The plain Redis port behind the stunnel proxy (Redis 4.0/5.0).")
    var plainPort: Int = 6379

    @Option(help: "Ship this client certificate (issued with --client) and require client certificates.")
    var clientCert: String?

    @Option(help: "Listen only on this address (writes 'bind' for redis-server, 'accept = ADDR:PORT' for stunnel).")
    var bind: String?

    @Option(
        help: ArgumentHelp(
            "The absolute directory the server files will be installed in, as redis-tls.conf or stunnel.conf names them.",
            valueName: "dir"))
    var serverDir: String?

    @OptionGroup(title: "Java") var javaStores: JavaStoreOptions

    @OptionGroup var report: ReportOptions

    @OptionGroup var engine: EngineOptions

    @OptionGroup var keyPassword: KeyPasswordOption

    func check() throws {
        try location.pki.check()
        try javaStores.check()
        let version = try RedisBundle.parseVersion(redisVersion)
        for port in [tlsPort, plainPort].compactMap({ $0 }) where !(1...65535).contains(port) {
            throw ValidationError("port \(port) is not between 1 and 65535")
        }
        if version < RedisBundle.nativeTLSVersion, let tlsPort, tlsPort == plainPort {
            throw ValidationError("--tls-port and --plain-port must differ: stunnel and Redis both listen")
        }
        if let bind, IPAddress(bind) == nil { throw ValidationError("--bind takes an IP address, not '\(bind)'") }
        if let clientCert { try PKIDirectory.validate(name: clientCert) }
        if let serverDir { _ = try ConfigText.installDirectory(serverDir) }
    }

    func run() throws {
        let source = try BundleSource(
            engine: engine, dir: try location.pki.path(), name: location.name, clients: clientCert.map { [$0] } ?? [],
            keyPassword: keyPassword)
        let client = source.material.clients.first.map {
            RedisBundle.ClientCertificate(
                name: $0.name, certificatePEM: BundleMaterial.pem($0.chain),
                keyPEM: PEM.encode(label: "PRIVATE KEY", der: $0.key.pkcs8DER))
        }
        let version = try RedisBundle.parseVersion(redisVersion)
        var bundle = RedisBundle(
            name: location.name, certificatePEM: source.certificatePEM, keyPEM: source.keyPEM,
            trustedCAsPEM: source.trustedCAsPEM, version: version, tlsPort: tlsPort,
            plainPort: plainPort, bindAddress: bind, client: client)
        bundle.serverDirectory = try serverDir.map(ConfigText.installDirectory)
        let output = FilePaths.absolute(location.out)
        var files = try bundle.files(outputDirectory: output)
        try javaStores.add(to: &files, from: source)
        let written = try files.write(to: output)
        withExtendedLifetime(source) {}  // the PKI's lock is held until the bundle is written
        for path in written { report.say(path) }
        try report.emit {
            var object = source.object(
                name: location.name, database: "redis", version: version.description,
                clientDownload: output + "/" + bundle.zipName, files: written)
            object["client_certificate"] = clientCert as Any? ?? NSNull()
            return object
        }
    }
}
