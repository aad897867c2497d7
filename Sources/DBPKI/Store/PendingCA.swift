import Foundation

extension PKIStore {
    /// Where a PKI waiting for its CA certificate keeps its request, relative to the directory.
    public static let pendingRequestFile = "ca.csr"

    /// Starts a CA whose certificate is signed elsewhere (an offline root): makes its key and a
    /// PKCS#10 request for a CA certificate with subject `under` + CN=`name`, writes `ca.key`
    /// (0600) and the request (`ca.csr`) through the journal, and records that the PKI waits
    /// for its certificate. Until then it issues nothing (``noCurrentCA()``). Returns the
    /// request's DER. Refuses a directory that has a CA, or a CA key, already.
    @discardableResult
    public func createPendingCA(name: String, keyType: KeyType, under: DistinguishedName = DistinguishedName([]))
        throws -> [UInt8]
    {
        guard !directory.hasCA, try inventory.ca(.current) == nil, try inventory.pendingCARequest() == nil else {
            throw PKIError(
                .alreadyExists,
                "\(directory.path) already has a CA or a CA key (\(directory.caKeyPath)); refusing to overwrite it")
        }
        let subject = under.withCommonName(name)
        try subject.validate()
        let key = try backend.generatePrivateKey(keyType)
        let request = try backend.createSigningRequest(
            SigningRequestTemplate(subject: subject, requestsCA: true), key: key)
        try commit(
            kind: "init-request", summary: "CA request \(name)", archives: [],
            newFiles: [
                NewFile(
                    bytes: try keyStore.fileContents(for: key, using: backend), mode: AtomicFile.privateMode,
                    destination: "ca.key"),
                NewFile(
                    bytes: Array(PEM.encode(label: "CERTIFICATE REQUEST", der: request).utf8),
                    mode: AtomicFile.publicMode, destination: Self.pendingRequestFile),
            ], at: now, changes: [.awaitCACertificate(request: Self.pendingRequestFile)])
        return request
    }
}
