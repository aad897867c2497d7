/// What a MongoDB deployment needs: the client's `MongoDB-CA.crt` and, for mongod,
/// the combined certificate-and-key PEM, the CA file and a `net:` section; with client
/// certificates (mutual TLS), each client's `CLIENT.pem` and the `$external` users that
/// x.509 authentication looks up; with a cluster member certificate, mongod's `clusterFile`
/// and the `security.clusterAuthMode: x509` snippet.
public struct MongoDBBundle: Sendable {
    /// A certificate with its key in one PEM, named by its subject as mongod reads it: what a
    /// client driver's `tlsCertificateKeyFile` takes (a ``Client``), and what mongod presents
    /// to the other members of its replica set or cluster (its ``Member`` `clusterFile`).
    public struct CertificateHolder: Sendable {
        /// The certificate's name (the file stem of `CLIENT.pem` or `server/MEMBER.pem`).
        public var name: String
        /// The certificate, any intermediates, then the key (PEM).
        public var certificateKeyPEM: String
        /// The subject as mongod reads it: for a client, the x.509 user's name.
        public var subject: MongoDBSubject

        /// Makes a holder.
        public init(name: String, certificateKeyPEM: String, subject: MongoDBSubject) {
            self.name = name
            self.certificateKeyPEM = certificateKeyPEM
            self.subject = subject
        }
    }

    /// A client certificate (mutual TLS, x.509 authentication).
    public typealias Client = CertificateHolder
    /// A cluster member's certificate (`net.tls.clusterFile`).
    public typealias Member = CertificateHolder

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
    /// The server certificate's subject as mongod reads it (what it compares peers' O, OU and DC with).
    public var serverSubject: MongoDBSubject?
    /// The client certificates; when there are any, mongod requires a client certificate.
    public var clients: [Client] = []
    /// The roles each x.509 user gets.
    public var roles: [MongoDBRole] = MongoDBRole.defaultRoles
    /// The member certificate for `clusterFile`, if any.
    public var member: Member?
    /// The absolute directory the configs name the server files under (where they will be
    /// installed); nil names them where they are written, `OUT/server`.
    public var serverDirectory: String?

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

    /// Makes a bundle description; clients, roles, member and server directory are set after.
    public init(
        name: String, certificateChainPEM: String, keyPEM: String, trustedCAsPEM: String, version: ServerVersion,
        serverSubject: MongoDBSubject? = nil
    ) {
        self.name = name
        self.certificateChainPEM = certificateChainPEM
        self.keyPEM = keyPEM
        self.trustedCAsPEM = trustedCAsPEM
        self.version = version
        self.serverSubject = serverSubject
    }

    /// The bundle of what `material` holds for server `name`: its clients (each with the
    /// subject mongod will name its x.509 user by) and its member, if any. Subjects are read
    /// only when there are clients or a member, which are the only ones mongod compares.
    public init(name: String, material: BundleMaterial, version: ServerVersion) throws {
        self.init(
            name: name, certificateChainPEM: material.serverChainPEM, keyPEM: material.serverKeyPEM,
            trustedCAsPEM: material.trustedCAsPEM, version: version)
        guard !material.clients.isEmpty || material.member != nil else { return }
        func pem(_ chain: [[UInt8]], _ key: PrivateKey) -> String {
            BundleMaterial.pem(chain) + PEM.encode(label: "PRIVATE KEY", der: key.pkcs8DER)
        }
        serverSubject = try MongoDBSubject(certificate: material.serverChain[0])
        clients = try material.clients.map {
            Client(
                name: $0.name, certificateKeyPEM: pem($0.chain, $0.key),
                subject: try MongoDBSubject(certificate: $0.chain[0]))
        }
        member = try material.member.map {
            Member(
                name: $0.name, certificateKeyPEM: pem($0.chain, $0.key),
                subject: try MongoDBSubject(certificate: $0.chain[0]))
        }
    }

    /// The member's file under `server/` (`NAME.pem` itself when the server certificate is the member).
    var memberFile: String? { member.map { "\($0.name).pem" } }

    /// The files, for an output directory at the absolute path `outputDirectory`. Throws when
    /// mongod would not accept the combination (see ``checkIdentities()``).
    public func files(outputDirectory: String) throws -> BundleFiles {
        try checkIdentities()
        var files = BundleFiles()
        files.add("MongoDB-CA.crt", text: trustedCAsPEM, mode: AtomicFile.publicMode)
        for client in clients {
            files.add("\(client.name).pem", text: client.certificateKeyPEM, mode: AtomicFile.privateMode)
        }
        files.add("server/\(name).pem", text: certificateChainPEM + keyPEM, mode: AtomicFile.privateMode)
        if let member, member.name != name {
            files.add("server/\(member.name).pem", text: member.certificateKeyPEM, mode: AtomicFile.privateMode)
        }
        files.add("server/ca.crt", text: trustedCAsPEM, mode: AtomicFile.publicMode)
        files.add(
            "server/mongod.conf", text: mongodConf(serverDirectory: serverDirectory ?? outputDirectory + "/server"),
            mode: AtomicFile.publicMode)
        if member != nil {
            files.add("server/cluster-auth.conf", text: clusterAuthConf, mode: AtomicFile.publicMode)
        }
        if !clients.isEmpty {
            files.add("server/x509-users.js", text: x509UsersScript, mode: AtomicFile.publicMode)
        }
        return files
    }

    /// mongod's rules for who is a cluster member (`isClusterMember`: a peer whose certificate
    /// has the same non-empty O, OU and DC as mongod's own certificate):
    ///
    /// - a member certificate must have the O, OU and DC of the server certificate, or its
    ///   peers take it for a client and intra-cluster authentication fails;
    /// - a client certificate must differ from them, or mongod takes the client for a cluster
    ///   member (with full rights; mongod 7.0 refuses to create such an x.509 user). This is
    ///   MongoDB's documented rule for x.509 client certificates.
    public func checkIdentities() throws {
        guard !clients.isEmpty || member != nil else { return }
        guard let serverSubject else {
            throw PKIError(.invalidArgument, "the server certificate's subject is needed to check members and clients")
        }
        let serverIdentity = serverSubject.clusterIdentity
        if let member {
            let identity = member.subject.clusterIdentity
            guard !identity.isEmpty, identity == serverIdentity else {
                throw PKIError(
                    .invalidInput,
                    "'\(member.name)' cannot be a cluster member of '\(name)': mongod accepts a peer whose certificate has "
                        + "the O, OU and DC of its own, and '\(member.name)' has \(Self.describe(identity)) while '\(name)' "
                        + "has \(Self.describe(serverIdentity))",
                    remedy: Remedy(.sameClusterSubject, name: member.name))
            }
        }
        var seen = [String: String]()
        for client in clients {
            let identity = client.subject.clusterIdentity
            if !identity.isEmpty, identity == serverIdentity {
                throw PKIError(
                    .invalidInput,
                    "client '\(client.name)' has the O, OU and DC of the server certificate '\(name)' "
                        + "(\(Self.describe(identity))): mongod would take it for a cluster member, not an x.509 user",
                    remedy: Remedy(.subjectApartFromMembers, name: client.name))
            }
            if let other = seen[client.subject.userName] {
                throw PKIError(
                    .invalidInput,
                    "clients '\(other)' and '\(client.name)' have the same subject, so they would be one x.509 user")
            }
            seen[client.subject.userName] = client.name
        }
    }

    /// `O=Acme,OU=Databases`, or "no O, OU or DC".
    static func describe(_ identity: [MongoDBSubject.Attribute]) -> String {
        identity.isEmpty
            ? "no O, OU or DC"
            : identity.map { "\(MongoDBSubject.shortName($0.oid))=\(MongoDBSubject.escape($0.value))" }
                .joined(separator: ",")
    }

    /// The `net:` section for this version, with absolute paths under `serverDirectory`.
    public func mongodConf(serverDirectory: String) -> String {
        let pem = ConfigText.yaml("\(serverDirectory)/\(name).pem")
        let ca = ConfigText.yaml("\(serverDirectory)/ca.crt")
        let cluster = memberFile.map { ConfigText.yaml("\(serverDirectory)/\($0)") }
        var header = "# TLS settings for mongod \(version), written by dbpki. Merge this net: section into\n"
        if clients.isEmpty {
            header += """
                # your mongod.conf. Clients get only MongoDB-CA.crt, so connections without a client
                # certificate are allowed; the server still proves its identity with \(name).pem.

                """
        } else {
            header += """
                # your mongod.conf. Every client must present a certificate signed by ca.crt: each
                # client gets its CLIENT.pem (its driver's tlsCertificateKeyFile). x509-users.js
                # creates their x.509 users (with security.authorization: enabled).

                """
        }
        if let member {
            header += """
                # \(memberFile!) is the member certificate mongod presents to its peers; see
                # cluster-auth.conf for security.clusterAuthMode: x509 (\(member.name)).

                """
        }
        let ssl = version < ServerVersion(4, 2)
        var lines = ["net:", ssl ? "  ssl:" : "  tls:", ssl ? "    mode: requireSSL" : "    mode: requireTLS"]
        lines.append(ssl ? "    PEMKeyFile: \(pem)" : "    certificateKeyFile: \(pem)")
        lines.append("    CAFile: \(ca)")
        if let cluster { lines.append("    clusterFile: \(cluster)") }
        if clients.isEmpty { lines.append("    allowConnectionsWithoutCertificates: true") }
        return header + lines.joined(separator: "\n") + "\n"
    }

    /// The `security:` snippet that makes members authenticate with their certificates.
    public var clusterAuthConf: String {
        let identity = serverSubject.map { Self.describe($0.clusterIdentity) } ?? ""
        let option = version < ServerVersion(4, 2) ? "net.ssl.clusterFile" : "net.tls.clusterFile"
        return """
            # Cluster authentication for mongod \(version), written by dbpki. Merge this security:
            # section into mongod.conf on every member. Members then prove themselves to each other
            # with their member certificates (\(option) in mongod.conf) instead of a keyfile;
            # mongod accepts a peer as a member when its certificate has the same O, OU and DC as
            # its own (\(identity)), so every member needs that O, OU and DC.
            # A running replica set on keyFile moves one member at a time through clusterAuthMode
            # sendKeyFile, then sendX509, then x509 (setParameter clusterAuthMode between steps).
            security:
              clusterAuthMode: x509

            """
    }

    /// The mongo shell commands that create each client's x.509 user in `$external`, named by
    /// its subject exactly as mongod derives it (see ``MongoDBSubject``).
    public var x509UsersScript: String {
        var text = """
            // x.509 users for mongod \(version), written by dbpki. Run once on the primary, as a user
            // allowed to create users:  mongosh --tls --tlsCAFile MongoDB-CA.crt \\
            //   --tlsCertificateKeyFile ADMIN.pem --host HOST --file x509-users.js
            // Each user's name is its client certificate's subject as mongod derives it (RFC 2253,
            // most specific attribute first): the user authenticates with that certificate, e.g.
            //   mongosh --tls --tlsCAFile MongoDB-CA.crt --tlsCertificateKeyFile CLIENT.pem \\
            //     --authenticationMechanism MONGODB-X509 --authenticationDatabase '$external' --host HOST
            // Roles: \(roles.map(\.description).joined(separator: ", ")).

            """
        let roleList = "[" + roles.map(\.document).joined(separator: ", ") + "]"
        for client in clients {
            text += "\n// \(client.name).pem\n"
            text += "printjson(db.getSiblingDB(\"$external\").runCommand({createUser: "
            text += "\(QuotedText.json(client.subject.userName)), roles: \(roleList)}));\n"
        }
        return text
    }
}
