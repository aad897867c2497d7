import DBPKI

/// Reads what every bundle needs from a PKI directory: a server certificate issued
/// there, its key, and the CA certificates clients must trust (during a CA rollover the
/// new and the old CA: the merged bundle).
struct BundleSource {
    let certificate: CertificateInfo
    let certificatePEM: String
    let keyPEM: String
    let trustedCAsPEM: String

    init(pki: PKIDirectory, name: String, backend: any PKIBackend) throws {
        // Under the PKI's lock, after any interrupted operation is finished: a bundle never
        // mixes files from before and after a renewal or rollover.
        let store = try PKIStore(
            pki, backend: backend,
            options: PKIStore.Options(onWait: {
                CLIOutput.stderr("dbpki: waiting for \(pki.lockPath): another dbpki process is using \(pki.path)")
            }))
        for notice in store.notices { CLIOutput.stderr("dbpki: " + notice) }
        defer { withExtendedLifetime(store) {} }  // hold the lock until everything is read
        let (der, key) = try pki.issued(name, backend: backend)
        certificate = try backend.parseCertificate(der: der)
        guard certificate.extendedKeyUsage?.contains(ExtendedKeyUsage.serverAuth) ?? true else {
            throw PKIError(.invalidArgument, "'\(name)' is not a server certificate: issue one without --client")
        }
        certificatePEM = PEM.encode(label: "CERTIFICATE", der: der)
        keyPEM = PEM.encode(label: "PRIVATE KEY", der: key.pkcs8DER)
        trustedCAsPEM = try pki.trustedCAsPEM()
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
