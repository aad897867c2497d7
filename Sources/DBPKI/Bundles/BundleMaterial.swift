/// What a bundle is made of, read from a PKI directory under its lock and checked
/// against its inventory before anything is written: the server certificate (with any
/// intermediates) and its key, the CA certificates clients must trust (during a
/// rollover the new and the old CA: the merged bundle), and any client certificates.
///
/// Each file must be the one the inventory records (``RecordedFiles``, the check
/// `dbpki doctor` reports and `renew`/`crl` refuse on): a foreign `ca.crt` or
/// `issued/NAME.crt`, or a key of another certificate, is refused, never shipped.
public struct BundleMaterial: Sendable {
    /// The server certificate, then the intermediates its file holds.
    public var serverChain: [[UInt8]]
    /// The server's key, which matches `serverChain[0]`.
    public var serverKey: PrivateKey
    /// The parsed server certificate.
    public var server: CertificateInfo
    /// The CA certificates to trust, the issuing CA first.
    public var trustedCAs: [[UInt8]]
    /// Each client certificate asked for: name, chain and matching key.
    public var clients: [(name: String, chain: [[UInt8]], key: PrivateKey)]
    /// The cluster member certificate asked for (MongoDB's `clusterFile`): name, chain and matching key.
    public var member: (name: String, chain: [[UInt8]], key: PrivateKey)?

    /// The server certificate and intermediates as PEM.
    public var serverChainPEM: String { Self.pem(serverChain) }
    /// The server key as PEM (PKCS#8).
    public var serverKeyPEM: String { PEM.encode(label: "PRIVATE KEY", der: serverKey.pkcs8DER) }
    /// The CA certificates as PEM (only CERTIFICATE blocks).
    public var trustedCAsPEM: String { Self.pem(trustedCAs) }

    /// Certificates as concatenated PEM blocks.
    public static func pem(_ certificates: [[UInt8]]) -> String {
        certificates.map { PEM.encode(label: "CERTIFICATE", der: $0) }.joined()
    }
}

extension PKIStore {
    /// Reads and checks what a bundle of server NAME needs (with these client
    /// certificates): every file against the inventory, each key against its certificate.
    /// NAME must be an active server certificate, each client an active client certificate
    /// within its validity, and `member` an active certificate with both serverAuth and
    /// clientAuth (a cluster member is a server and a client to its peers).
    public func bundleMaterial(server name: String, clients: [String] = [], member: String? = nil) throws
        -> BundleMaterial
    {
        let server = try checkedIssued(name, key: true)
        let info = try backend.parseCertificate(der: server.certificates[0])
        try Self.requireUsable(server.record, purpose: ExtendedKeyUsage.serverAuth, of: info, in: directory)
        var material = BundleMaterial(
            serverChain: server.certificates, serverKey: server.key!, server: info, trustedCAs: try checkedTrustedCAs(),
            clients: [])
        for client in clients {
            let files = try checkedIssued(client, key: true)
            let clientInfo = try backend.parseCertificate(der: files.certificates[0])
            try Self.requireUsable(
                files.record, purpose: ExtendedKeyUsage.clientAuth, of: clientInfo, in: directory)
            try requireCurrent(files.record, clientInfo)
            material.clients.append((client, files.certificates, files.key!))
        }
        if let member {
            let files = try checkedIssued(member, key: true)
            let memberInfo = try backend.parseCertificate(der: files.certificates[0])
            let purposes = memberInfo.extendedKeyUsage ?? []
            guard purposes.contains(ExtendedKeyUsage.serverAuth), purposes.contains(ExtendedKeyUsage.clientAuth) else {
                throw PKIError(
                    .invalidArgument,
                    "'\(member)' is not a cluster member certificate: a member needs both serverAuth and clientAuth, "
                        + "since it is a server and a client to its peers",
                    remedy: Remedy(.issueAsMember, directory: directory.path, name: member))
            }
            try Self.requireUsable(files.record, purpose: ExtendedKeyUsage.clientAuth, of: memberInfo, in: directory)
            try requireCurrent(files.record, memberInfo)
            material.member = (member, files.certificates, files.key!)
        }
        return material
    }

    /// Refuses a certificate outside its validity by the store's clock: a client that
    /// cannot connect is not worth shipping.
    private func requireCurrent(_ record: InventoryRecord, _ info: CertificateInfo) throws {
        let now = self.now
        guard info.notAfter > now else {
            throw PKIError(
                .invalidInput,
                "'\(record.name)' serial \(record.serial) expired at \(RFC3339.format(info.notAfter))",
                remedy: Remedy(.renewFirst, directory: directory.path, name: record.name))
        }
    }

    /// Refuses a revoked certificate, or one without the extended key usage the bundle needs.
    private static func requireUsable(
        _ record: InventoryRecord, purpose: String, of info: CertificateInfo, in directory: PKIDirectory
    ) throws {
        let role = purpose == ExtendedKeyUsage.serverAuth ? "server" : "client"
        guard info.extendedKeyUsage?.contains(purpose) ?? (role == "server") else {
            throw PKIError(
                .invalidArgument, "'\(record.name)' is not a \(role) certificate",
                remedy: Remedy(role == "server" ? .issueAsServer : .issueAsClient, directory: directory.path))
        }
        guard record.status == .active else {
            throw PKIError(
                .invalidInput,
                "'\(record.name)' serial \(record.serial) is \(record.status.rawValue)"
                    + (record.status == .revoked ? " (\(record.revocationReason ?? "unspecified"))" : ""),
                remedy: Remedy(.renewFirst, directory: directory.path, name: record.name))
        }
    }
}
