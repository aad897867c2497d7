extension PKIStore {
    /// A PKCS#12 keystore of NAME (`dbpki export pkcs12`): its key, its certificate and the
    /// chain up to and including the CA that issued it, under the alias NAME, protected with
    /// `password`. The files are checked against the inventory first, as a bundle's are; a
    /// revoked or superseded certificate is refused.
    public func pkcs12Keystore(name: String, password: String, protection: PKCS12Protection) throws -> [UInt8] {
        let files = try checkedIssued(name, key: true)
        guard files.record.status == .active else {
            throw PKIError(
                .invalidInput, "'\(name)' serial \(files.record.serial) is \(files.record.status.rawValue)",
                remedy: Remedy(.renewFirst, directory: directory.path, name: name))
        }
        guard let key = files.key else { throw PKIError(.notFound, "no key for '\(name)'") }
        return try backend.createPKCS12(
            try PKCS12Contents.keystore(
                name: name, key: key, chain: try chainWithIssuer(files.certificates), localKeyID: try localKeyID(files),
                protection: protection),
            password: password)
    }

    /// A PKCS#12 truststore of the PKI's CA certificates (the new and, during a rollover, the
    /// old), for Java's `javax.net.ssl.trustStore`: each a trustedCertEntry under its alias.
    public func pkcs12Truststore(password: String, protection: PKCS12Protection) throws -> [UInt8] {
        try pkcs12Truststore(certificates: try checkedTrustedCAs(), password: password, protection: protection)
    }

    /// A truststore of `certificates`, aliased by their role: `ca`, then `ca-old` (during a
    /// rollover), then `ca-2`, `ca-3`, ... for any more.
    public func pkcs12Truststore(certificates: [[UInt8]], password: String, protection: PKCS12Protection) throws
        -> [UInt8]
    {
        let aliases = certificates.indices.map { $0 == 0 ? "ca" : $0 == 1 ? "ca-old" : "ca-\($0 + 1)" }
        return try backend.createPKCS12(
            .truststore(Array(zip(aliases, certificates)), protection: protection), password: password)
    }

    /// A keystore for a bundle's client certificate (chain and key already checked).
    public func pkcs12Keystore(
        name: String, chain: [[UInt8]], key: PrivateKey, password: String, protection: PKCS12Protection
    ) throws -> [UInt8] {
        try backend.createPKCS12(
            try PKCS12Contents.keystore(
                name: name, key: key, chain: try chainWithIssuer(chain),
                localKeyID: try backend.digest(.sha1, chain[0]), protection: protection),
            password: password)
    }

    /// `chain` followed by the recorded CA certificate that issued its last certificate, when
    /// that is not already in it: Windows and Java import the whole path from one file.
    private func chainWithIssuer(_ chain: [[UInt8]]) throws -> [[UInt8]] {
        guard let last = chain.last else { return chain }
        let issuer = try backend.parseCertificate(der: last).issuer
        for ca in try checkedTrustedCAs() where !chain.contains(ca) {
            if try backend.parseCertificate(der: ca).subject == issuer { return chain + [ca] }
        }
        return chain
    }

    /// The local key id pairing key and certificate: the certificate's SHA-1, as OpenSSL's
    /// `pkcs12 -export` writes it.
    private func localKeyID(_ files: RecordedFiles) throws -> [UInt8] {
        try backend.digest(.sha1, files.certificates[0])
    }
}

extension PKIStore {
    /// The Java files of a bundle (`bundle ... --java`): `truststore.p12`, the bundle's CA
    /// certificates as trustedCertEntry (public, mode 0644), and `CLIENT.p12`, a keystore of
    /// each client certificate the bundle ships (mode 0600), all protected with `password`.
    public func javaStoreFiles(for material: BundleMaterial, password: String) throws -> BundleFiles {
        var files = BundleFiles()
        files.add(
            "truststore.p12",
            try pkcs12Truststore(certificates: material.trustedCAs, password: password, protection: .aes256),
            mode: AtomicFile.publicMode)
        for client in material.clients {
            files.add(
                "\(client.name).p12",
                try pkcs12Keystore(
                    name: client.name, chain: client.chain, key: client.key, password: password, protection: .aes256),
                mode: AtomicFile.privateMode)
        }
        return files
    }
}
