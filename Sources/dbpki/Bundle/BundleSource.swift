import DBPKI

/// Reads what every bundle needs from a PKI directory: a server certificate issued
/// there, its key, and the CA certificates clients must trust.
struct BundleSource {
    let certificate: CertificateInfo
    let certificatePEM: String
    let keyPEM: String
    let trustedCAsPEM: String

    init(pki: PKIDirectory, name: String, backend: any PKIBackend) throws {
        let (der, key) = try pki.issued(name, backend: backend)
        certificate = try backend.parseCertificate(der: der)
        guard certificate.extendedKeyUsage?.contains(ExtendedKeyUsage.serverAuth) ?? true else {
            throw PKIError(.invalidArgument, "'\(name)' is not a server certificate: issue one without --client")
        }
        certificatePEM = PEM.encode(label: "CERTIFICATE", der: der)
        keyPEM = PEM.encode(label: "PRIVATE KEY", der: key.pkcs8DER)
        trustedCAsPEM = try pki.trustedCAsPEM()
    }
}
