import Foundation

/// A PKI directory on disk: the issuing CA and every certificate issued from it.
///
///     PKI/ca.crt              the issuing CA certificate (PEM)
///     PKI/ca.key              its key (PEM PKCS#8, 0600)
///     PKI/issued/NAME.crt     an issued certificate (PEM)
///     PKI/issued/NAME.key     its key (PEM PKCS#8, 0600)
///
/// Files are PEM and keys unencrypted PKCS#8, so a directory made with one engine is
/// used by the other unchanged.
public struct PKIDirectory: Sendable {
    /// The directory.
    public let path: String

    /// Opens (without touching the disk) the PKI directory at `path`, made absolute.
    public init(_ path: String) {
        self.path = FilePaths.absolute(path)
    }

    /// `PKI/ca.crt`.
    public var caCertificatePath: String { path + "/ca.crt" }
    /// `PKI/ca.key`.
    public var caKeyPath: String { path + "/ca.key" }
    /// `PKI/issued`.
    public var issuedPath: String { path + "/issued" }
    /// `PKI/issued/NAME.crt`.
    public func certificatePath(of name: String) -> String { "\(issuedPath)/\(name).crt" }
    /// `PKI/issued/NAME.key`.
    public func keyPath(of name: String) -> String { "\(issuedPath)/\(name).key" }

    /// Checks a certificate NAME: it becomes a file name, so only letters, digits,
    /// `.`, `_` and `-`, at most 64 characters, not starting with `.` or `-`.
    public static func validate(name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                || "._-".unicodeScalars.contains($0)
        }
        guard !name.isEmpty, name.count <= 64, allowed, !name.hasPrefix("."), !name.hasPrefix("-") else {
            throw PKIError(
                .invalidArgument,
                "'\(name)' is not a usable name (letters, digits, '.', '_' and '-'; at most 64; not starting with '.' or '-')"
            )
        }
    }

    /// True when a CA certificate or key is present.
    public var hasCA: Bool {
        FileManager.default.fileExists(atPath: caCertificatePath) || FileManager.default.fileExists(atPath: caKeyPath)
    }

    /// Creates a self-signed root CA, refusing to overwrite an existing one.
    @discardableResult
    public func createCA(name: String, keyType: KeyType, days: Int, issuer: CertificateIssuer) throws -> CertificateInfo
    {
        guard !hasCA else {
            throw PKIError(.alreadyExists, "\(path) already has a CA (\(caCertificatePath)); refusing to overwrite it")
        }
        let backend = issuer.backend
        let key = try backend.generatePrivateKey(keyType)
        let der = try issuer.issue(.rootCA(name: name, days: days), subjectKey: key, authority: nil)
        try AtomicFile.makeDirectory(path)
        try writePair(
            certificate: der, key: key, certificatePath: caCertificatePath, keyPath: caKeyPath, overwrite: false)
        return try backend.parseCertificate(der: der)
    }

    /// Loads the issuing CA with `backend`.
    public func authority(backend: any PKIBackend) throws -> SigningAuthority {
        guard FileManager.default.fileExists(atPath: caCertificatePath) else {
            throw PKIError(.notFound, "\(path) has no CA: run 'dbpki init --dir \(path) --name NAME' first")
        }
        let certificate = try InputFile.decode(caCertificatePath, CertificateDecoder.certificates(from:))[0]
        return try SigningAuthority(
            certificate: certificate, key: loadKey(caKeyPath, backend: backend), backend: backend)
    }

    /// Issues NAME under `profile` with a new key; refuses to replace an existing NAME unless `force`.
    @discardableResult
    public func issue(
        name: String, profile: CertificateProfile, keyType: KeyType, issuer: CertificateIssuer, force: Bool = false
    ) throws -> CertificateInfo {
        try Self.validate(name: name)
        if !force && FileManager.default.fileExists(atPath: certificatePath(of: name)) {
            throw PKIError(
                .alreadyExists, "\(name) is already issued (\(certificatePath(of: name))); use --force to replace it")
        }
        let authority = try authority(backend: issuer.backend)
        let key = try issuer.backend.generatePrivateKey(keyType)
        let der = try issuer.issue(profile, subjectKey: key, authority: authority)
        try AtomicFile.makeDirectory(issuedPath)
        try writePair(
            certificate: der, key: key, certificatePath: certificatePath(of: name), keyPath: keyPath(of: name),
            overwrite: true)
        return try issuer.backend.parseCertificate(der: der)
    }

    /// An issued certificate (DER) and its key.
    public func issued(_ name: String, backend: any PKIBackend) throws -> (certificate: [UInt8], key: PrivateKey) {
        try Self.validate(name: name)
        guard FileManager.default.fileExists(atPath: certificatePath(of: name)) else {
            throw PKIError(
                .notFound, "no certificate named '\(name)' in \(issuedPath): issue it with 'dbpki issue \(name)'")
        }
        let certificate = try InputFile.decode(certificatePath(of: name), CertificateDecoder.certificates(from:))[0]
        return (certificate, try loadKey(keyPath(of: name), backend: backend))
    }

    /// The CA certificates a client must trust, as PEM (today the issuing CA).
    public func trustedCAsPEM() throws -> String {
        let certificates = try InputFile.decode(caCertificatePath, CertificateDecoder.certificates(from:))
        return certificates.map { PEM.encode(label: "CERTIFICATE", der: $0) }.joined()
    }

    private func loadKey(_ keyPath: String, backend: any PKIBackend) throws -> PrivateKey {
        try InputFile.decode(keyPath) { bytes in
            let (format, der) = try CertificateDecoder.privateKey(from: bytes)
            return try backend.importPrivateKey(der: der, format: format, passphrase: nil)
        }
    }

    /// Writes the key first, then the certificate; removes the key again if the certificate cannot be written.
    private func writePair(
        certificate: [UInt8], key: PrivateKey, certificatePath: String, keyPath: String, overwrite: Bool
    ) throws {
        try AtomicFile.write(
            PEM.encode(label: "PRIVATE KEY", der: key.pkcs8DER), to: keyPath, mode: AtomicFile.privateMode,
            overwrite: overwrite)
        do {
            try AtomicFile.write(
                PEM.encode(label: "CERTIFICATE", der: certificate), to: certificatePath, mode: AtomicFile.publicMode,
                overwrite: overwrite)
        } catch {
            if !overwrite { try? FileManager.default.removeItem(atPath: keyPath) }
            throw error
        }
    }
}
