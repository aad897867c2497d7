/// What a MongoDB deployment needs: the client's `MongoDB-CA.crt` and, for mongod,
/// the combined certificate-and-key PEM, the CA file and a `net:` section.
public struct MongoDBBundle: Sendable {
    /// Versions dbpki writes configuration for; older ones have no usable TLS settings.
    public static let supportedVersions = ["4.0", "4.2", "4.4", "5.0", "6.0", "7.0"].compactMap(ServerVersion.init)
    /// The default `--mongodb-version`.
    public static let defaultVersion = ServerVersion(7, 0)

    /// The server's name (the file stem of `NAME.pem`).
    public var name: String
    /// The server certificate (PEM), then any intermediates (not the root).
    public var certificateChainPEM: String
    /// The server key (PEM).
    public var keyPEM: String
    /// The CA certificates clients and mongod trust (PEM, CERTIFICATE blocks only).
    public var trustedCAsPEM: String
    /// The mongod version the config is for.
    public var version: ServerVersion

    /// Checks the version: 4.0 or later (earlier `net.ssl` lacks what dbpki relies on).
    public static func parseVersion(_ text: String) throws -> ServerVersion {
        guard let version = ServerVersion(text) else {
            throw PKIError(.invalidArgument, "'\(text)' is not a MongoDB version (for example 7.0)")
        }
        guard version >= ServerVersion(4, 0) else {
            throw PKIError(
                .invalidArgument,
                "MongoDB \(version) is not supported: TLS/SSL bundles need MongoDB 4.0 or later (upgrade \(version) first)"
            )
        }
        guard supportedVersions.contains(version) || version > supportedVersions.last! else {
            let list = supportedVersions.map(\.description).joined(separator: ", ")
            throw PKIError(.invalidArgument, "MongoDB \(version) is not a release dbpki knows (choose one of: \(list))")
        }
        return version
    }

    /// Makes a bundle description.
    public init(
        name: String, certificateChainPEM: String, keyPEM: String, trustedCAsPEM: String, version: ServerVersion
    ) {
        self.name = name
        self.certificateChainPEM = certificateChainPEM
        self.keyPEM = keyPEM
        self.trustedCAsPEM = trustedCAsPEM
        self.version = version
    }

    /// The files, for an output directory at the absolute path `outputDirectory`.
    public func files(outputDirectory: String) -> BundleFiles {
        var files = BundleFiles()
        files.add("MongoDB-CA.crt", text: trustedCAsPEM, mode: AtomicFile.publicMode)
        files.add("server/\(name).pem", text: certificateChainPEM + keyPEM, mode: AtomicFile.privateMode)
        files.add("server/ca.crt", text: trustedCAsPEM, mode: AtomicFile.publicMode)
        files.add(
            "server/mongod.conf", text: mongodConf(serverDirectory: outputDirectory + "/server"),
            mode: AtomicFile.publicMode)
        return files
    }

    /// The `net:` section for this version, with absolute paths.
    public func mongodConf(serverDirectory: String) -> String {
        let pem = ConfigText.yaml("\(serverDirectory)/\(name).pem")
        let ca = ConfigText.yaml("\(serverDirectory)/ca.crt")
        let header = """
            # TLS settings for mongod \(version), written by dbpki. Merge this net: section into
            # your mongod.conf. Clients get only MongoDB-CA.crt, so connections without a client
            # certificate are allowed; the server still proves its identity with \(name).pem.

            """
        if version < ServerVersion(4, 2) {
            return header + """
                net:
                  ssl:
                    mode: requireSSL
                    PEMKeyFile: \(pem)
                    CAFile: \(ca)
                    allowConnectionsWithoutCertificates: true

                """
        }
        return header + """
            net:
              tls:
                mode: requireTLS
                certificateKeyFile: \(pem)
                CAFile: \(ca)
                allowConnectionsWithoutCertificates: true

            """
    }
}
