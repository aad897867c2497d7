/// What a Redis deployment needs: the client's `NAME-crt.zip` and the server side,
/// either native TLS settings (Redis 6.0 and later) or, for Redis 4.0 and 5.0 which
/// have no TLS, an stunnel 5 proxy that terminates TLS in front of the plain Redis.
public struct RedisBundle: Sendable {
    /// Versions dbpki writes configuration for.
    public static let supportedVersions = ["4.0", "5.0", "6.0", "6.2", "7.0", "7.2"].compactMap(ServerVersion.init)
    /// The default `--redis-version`.
    public static let defaultVersion = ServerVersion(7, 0)
    /// The first version with native TLS.
    public static let nativeTLSVersion = ServerVersion(6, 0)

    /// A client certificate to ship in the zip.
    public struct ClientCertificate: Sendable {
        public var name: String
        public var certificatePEM: String
        public var keyPEM: String
        public init(name: String, certificatePEM: String, keyPEM: String) {
            self.name = name
            self.certificatePEM = certificatePEM
            self.keyPEM = keyPEM
        }
    }

    public var name: String
    public var certificatePEM: String
    public var keyPEM: String
    public var trustedCAsPEM: String
    public var version: ServerVersion
    /// The TLS port (default 6379 with native TLS, 6380 for the stunnel proxy).
    public var tlsPort: Int
    /// The plain Redis port behind the proxy (stunnel only).
    public var plainPort: Int
    /// The address to listen on; nil writes no bind (redis-server's default) / the bare port (stunnel).
    public var bindAddress: String?
    /// The client certificate to ship; when set, the server requires client certificates.
    public var client: ClientCertificate?
    /// The absolute directory the configs name the server files under (where they will be
    /// installed); nil names them where they are written, `OUT/server`.
    public var serverDirectory: String?

    /// Parses and checks `--redis-version`.
    public static func parseVersion(_ text: String) throws -> ServerVersion {
        guard let version = ServerVersion(text) else {
            throw PKIError(.invalidArgument, "'\(text)' is not a Redis version (for example 7.0)")
        }
        guard version >= ServerVersion(4, 0) else {
            throw PKIError(.invalidArgument, "Redis \(version) is not supported: bundles need Redis 4.0 or later")
        }
        guard supportedVersions.contains(version) || version > supportedVersions.last! else {
            let list = supportedVersions.map(\.description).joined(separator: ", ")
            throw PKIError(.invalidArgument, "Redis \(version) is not a release dbpki knows (choose one of: \(list))")
        }
        return version
    }

    /// True when this version terminates TLS itself.
    public var hasNativeTLS: Bool { version >= Self.nativeTLSVersion }

    /// Makes a bundle description.
    public init(
        name: String, certificatePEM: String, keyPEM: String, trustedCAsPEM: String, version: ServerVersion,
        tlsPort: Int? = nil, plainPort: Int = 6379, bindAddress: String? = nil, client: ClientCertificate? = nil
    ) {
        self.name = name
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
        self.trustedCAsPEM = trustedCAsPEM
        self.version = version
        self.tlsPort = tlsPort ?? (version >= Self.nativeTLSVersion ? 6379 : 6380)
        self.plainPort = plainPort
        self.bindAddress = bindAddress
        self.client = client
    }

    /// The client zip's file name.
    public var zipName: String { "\(name)-crt.zip" }

    /// The files, for an output directory at the absolute path `outputDirectory`.
    public func files(outputDirectory: String) throws -> BundleFiles {
        var entries = [ClientZip.Entry(name: "ca.crt", contents: Array(trustedCAsPEM.utf8), mode: 0o644)]
        if let client {
            entries.append(.init(name: "\(client.name).crt", contents: Array(client.certificatePEM.utf8), mode: 0o644))
            entries.append(.init(name: "\(client.name).key", contents: Array(client.keyPEM.utf8), mode: 0o600))
        }
        var files = BundleFiles()
        files.add(
            zipName, try ClientZip.make(entries), mode: client == nil ? AtomicFile.publicMode : AtomicFile.privateMode)
        files.add("server/\(name).crt", text: certificatePEM, mode: AtomicFile.publicMode)
        files.add("server/\(name).key", text: keyPEM, mode: AtomicFile.privateMode)
        files.add("server/ca.crt", text: trustedCAsPEM, mode: AtomicFile.publicMode)
        let server = serverDirectory ?? outputDirectory + "/server"
        if hasNativeTLS {
            files.add("server/redis-tls.conf", text: redisTLSConf(serverDirectory: server), mode: AtomicFile.publicMode)
        } else {
            files.add(
                "server/stunnel.conf", text: try stunnelConf(serverDirectory: server), mode: AtomicFile.publicMode)
        }
        return files
    }

    /// redis-server settings (6.0+). Paths are absolute: redis changes to its `dir` before loading them.
    public func redisTLSConf(serverDirectory: String) -> String {
        var lines = [
            "# TLS settings for redis-server \(version), written by dbpki.",
            "# Use as the config file or 'include' it. Paths are absolute because redis-server",
            "# changes to its 'dir' before it loads them.",
        ]
        if let bindAddress { lines.append("bind \(ConfigText.redis(bindAddress))") }
        lines += [
            "port 0",
            "tls-port \(tlsPort)",
            "tls-cert-file \(ConfigText.redis("\(serverDirectory)/\(name).crt"))",
            "tls-key-file \(ConfigText.redis("\(serverDirectory)/\(name).key"))",
            "tls-ca-cert-file \(ConfigText.redis("\(serverDirectory)/ca.crt"))",
            client == nil
                ? "# Clients get only ca.crt, so they present no certificate.\ntls-auth-clients no"
                : "# Clients must present a certificate signed by ca.crt (shipped in \(zipName)).\ntls-auth-clients yes",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// stunnel 5 settings for Redis 4.0/5.0: TLS on `tlsPort`, plain Redis behind on 127.0.0.1:`plainPort`.
    public func stunnelConf(serverDirectory: String) throws -> String {
        let accept = bindAddress.map { $0.contains(":") ? "[\($0)]:\(tlsPort)" : "\($0):\(tlsPort)" } ?? "\(tlsPort)"
        var lines = [
            "; stunnel 5 TLS proxy for Redis \(version) (no native TLS), written by dbpki.",
            "; Clients connect with TLS to port \(tlsPort); stunnel forwards to the plain Redis on 127.0.0.1:\(plainPort).",
            "[redis]",
            "accept = \(accept)",
            "connect = 127.0.0.1:\(plainPort)",
            "cert = \(try ConfigText.stunnel("\(serverDirectory)/\(name).crt"))",
            "key = \(try ConfigText.stunnel("\(serverDirectory)/\(name).key"))",
            "CAfile = \(try ConfigText.stunnel("\(serverDirectory)/ca.crt"))",
        ]
        if client != nil {
            lines += [
                "; Clients must present a certificate signed by ca.crt (verifyChain, not the obsolete verify = 1,",
                "; which lets clients without a certificate in).", "requireCert = yes", "verifyChain = yes",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
