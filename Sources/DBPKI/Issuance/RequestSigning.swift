import Foundation

extension CertificateSigningRequest {
    /// The request's subjectAltName entries as host names and addresses for a leaf profile,
    /// judged as `issue` judges names given on the command line: a DNS name must be valid
    /// (and not an IP address written as a name), and entries a database leaf does not
    /// carry (email, URI, other names) are refused rather than silently dropped.
    public func requestedHostNames() throws -> (dns: [String], ips: [IPAddress]) {
        var dns = [String]()
        var ips = [IPAddress]()
        for name in requestedNames {
            switch name {
            case .dns(let host):
                guard IPAddress(host) == nil, DNSName.isValid(host) else {
                    throw PKIError(
                        .invalidInput,
                        "the request asks for the DNS name '\(TextEscaping.printable(host, limit: 80))', "
                            + "which is not a valid DNS name")
                }
                dns.append(host)
            case .ip(let address): ips.append(address)
            default:
                throw PKIError(
                    .invalidInput, "the request asks for the name \(name), which a database certificate does not carry")
            }
        }
        return (dns, ips)
    }
}

extension PKIStore {
    /// Signs a leaf under `profile` for the public key of `request`, signed by the current
    /// CA, and records it as NAME with its key held elsewhere: only `issued/NAME.crt` is
    /// written, and no command looks for `issued/NAME.key`.
    ///
    /// The request proves only that its maker holds the key, so the profile (subject, names,
    /// role, validity) is the caller's, never the request's; a request that fails
    /// ``CertificateSigningRequest/checkForLeaf()`` is refused before anything is written.
    /// An existing NAME is refused as `issue` refuses it (sign never replaces).
    @discardableResult
    public func sign(_ request: CertificateSigningRequest, name: String, profile: CertificateProfile) throws
        -> CertificateInfo
    {
        try PKIDirectory.validate(name: name)
        guard !profile.isCA else {
            throw PKIError(.invalidArgument, "a request is signed here as a leaf, not as a CA")
        }
        try request.checkForLeaf()
        if try inventory.current(name: name) != nil
            || FileManager.default.fileExists(atPath: directory.certificatePath(of: name))
        {
            throw PKIError(
                .alreadyExists,
                "\(name) is already issued (\(directory.certificatePath(of: name)))",
                remedy: Remedy(.replaceOrRenew, directory: directory.path, name: name))
        }
        let authority = try currentAuthority()
        let info = try sign(
            profile, publicKeyInfo: request.subjectPublicKeyInfo, keyDescription: request.publicKey,
            authority: authority)
        try replace(
            name: name, existing: nil, with: info, key: nil, keepKey: false,
            kind: profile.role == .client ? .client : .server, profile: profile.role.rawValue, authority: authority,
            operation: "sign")
        return info
    }
}
