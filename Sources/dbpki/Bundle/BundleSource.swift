import DBPKI

/// Reads what a bundle needs from a PKI directory, through its store: the server
/// certificate, its key, the CA certificates clients must trust and any client
/// certificates, each checked against the inventory before anything is written.
struct BundleSource {
    /// Held, with the PKI's lock, until the bundle is written: a bundle never mixes files
    /// from before and after a renewal or rollover.
    let store: PKIStore
    let material: BundleMaterial

    var certificatePEM: String { material.serverChainPEM }
    var keyPEM: String { material.serverKeyPEM }
    var trustedCAsPEM: String { material.trustedCAsPEM }
    var certificate: CertificateInfo { material.server }

    /// `keyPassword` opens a certificate key that is encrypted; the bundle ships it decrypted
    /// (mode 0600), since a server config's key password would sit in clear text beside it.
    init(
        engine: EngineOptions, dir: String, name: String, clients: [String] = [], member: String? = nil,
        keyPassword: KeyPasswordOption
    ) throws {
        store = try engine.openStore(
            dir, keyStore: KeyStore(newKeys: .plain, password: .none, keyPassword: try keyPassword.source()))
        material = try store.bundleMaterial(server: name, clients: clients, member: member)
    }

    /// The `--json` object of a bundle command: the server certificate (the key names of
    /// `dbpki list --json`), what clients download, and every path written.
    func object(
        name: String, database: String, version: String, clientDownload: String, files: [String]
    ) -> [String: Any] {
        [
            "name": name, "database": database, "version": version, "subject": certificate.subject,
            "issuer": certificate.issuer, "serial": certificate.serialHex,
            "not_after": RFC3339.format(certificate.notAfter), "fingerprint_sha256": certificate.fingerprintHex,
            "client_download": clientDownload, "files": files,
        ]
    }
}
