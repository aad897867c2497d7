extension PKIStore {
    /// Encrypts the current CA key under `newPassword`, in place and all or nothing: the key is
    /// opened with the store's password (a plain key needs none, so this is also how an
    /// existing CA key becomes encrypted), encrypted again, checked to open with the new
    /// password, and renamed over `ca.key` by one journaled operation. The certificate, the
    /// inventory and every issued certificate stay as they are; only the key file changes.
    public func changeCAKeyPassword(to newPassword: Password) throws {
        let authority = try currentAuthority()
        let encrypting = KeyStore(newKeys: .encrypted, password: PasswordSource(newPassword))
        let bytes = try encrypting.fileContents(for: authority.key, using: backend)
        // The CA key has no other copy: the new file must open before it replaces the old one.
        let (format, der) = try CertificateDecoder.privateKey(from: bytes)
        let reopened = try newPassword.withText {
            try PrivateKey(der: der, format: format, passphrase: $0, using: backend)
        }
        guard try backend.privateKey(reopened, matchesCertificate: authority.certificate) else {
            throw PKIError(.engine, "the re-encrypted CA key does not open to the CA's key; ca.key is unchanged")
        }
        try commit(
            kind: "change-password", summary: "CA key \(authority.info.subject) encrypted under a new password",
            archives: [], newFiles: [NewFile(bytes: bytes, mode: AtomicFile.privateMode, destination: "ca.key")],
            at: now, changes: [])
    }
}
