import Foundation

extension CertificateSigningRequest {
    /// Refuses (``PKIError/Code-swift.struct/invalidInput``) a request dbpki will not sign as
    /// an intermediate CA: a signature that does not verify, a weak key, or a request that
    /// does not ask for a CA certificate (basicConstraints cA TRUE). The last is required, as
    /// ``checkForLeaf()`` refuses it for a leaf, so a server's request signed with `--ca` by
    /// mistake does not turn a database host's key into a CA; `init --csr-out` asks for it.
    public func checkForCA() throws {
        try checkProofAndStrength()
        guard requestsCA else {
            throw PKIError(
                .invalidInput,
                "the request does not ask for a CA certificate (basicConstraints cA TRUE); it is not signed as a CA")
        }
    }

    /// The CA's name and the attributes before it, from the request's subject: an intermediate's
    /// subject is its own choice, made where its key is (`init --csr-out --name --subject`), and
    /// is held to the rules `init` applies (exactly one CN; otherwise C, ST, L, O, OU and DC; RFC
    /// 5280 bounds). The CN is put last, as dbpki writes every name.
    public func caSubject() throws -> (name: String, under: DistinguishedName) {
        guard let parsed = RFC4514.parseName(subject) else {
            throw PKIError(
                .invalidInput,
                "the request's subject '\(TextEscaping.printable(subject, limit: 80))' is not a name dbpki writes")
        }
        let commonNames = parsed.attributes.filter { $0.oid == "2.5.4.3" }
        guard commonNames.count == 1 else {
            throw PKIError(
                .invalidInput,
                "the request's subject '\(TextEscaping.printable(subject, limit: 80))' has \(commonNames.count) CNs; "
                    + "a CA needs exactly one")
        }
        let allowed = Set(RFC4514.subjectTypes.values)
        let under = parsed.attributes.filter { $0.oid != "2.5.4.3" }
        if let other = under.first(where: { !allowed.contains($0.oid) }) {
            throw PKIError(
                .invalidInput,
                "the request's subject holds \(RFC4514.shortNames[other.oid] ?? other.oid), which dbpki does not put "
                    + "in a CA's name (C, ST, L, O, OU, DC and CN)")
        }
        let name = DistinguishedName(under).withCommonName(commonNames[0].value)
        do {
            try name.validate()
        } catch let error as PKIError {
            throw PKIError(.invalidInput, "the request's subject: \(error.message)")
        }
        return (commonNames[0].value, DistinguishedName(under))
    }
}

extension PKIStore {
    /// Signs an intermediate CA for the key of `request`, whose private key stays where it was
    /// made (an offline root signs a request from `init --csr-out`), and records it here as
    /// `init --parent` does: kind `ca`, listed, revocable, on this PKI's CRL, its copy at
    /// `intermediates/SERIAL.crt`.
    ///
    /// The profile is the intermediate's (CA:TRUE critical, `pathLenConstraint` `pathLength`,
    /// keyCertSign and cRLSign, key identifiers), the subject the request's own
    /// (``CertificateSigningRequest/caSubject()``), the validity `days` capped at this CA's end.
    /// Refused before anything is written: a request failing
    /// ``CertificateSigningRequest/checkForCA()``, an expired CA here, a path length above
    /// that would be exceeded. Nothing is written outside this PKI: the caller ships
    /// ``CreatedIntermediate/certificateWithIntermediates``.
    public func signIntermediate(_ request: CertificateSigningRequest, pathLength: Int, days: Int) throws
        -> CreatedIntermediate
    {
        try request.checkForCA()
        let (name, under) = try request.caSubject()
        let (authority, _, aboveInfo, date) = try authorityForIntermediate(pathLength: pathLength)
        let profile = CertificateProfile.intermediateCA(name: name, pathLength: pathLength, days: days, under: under)
        let info = try sign(
            profile, publicKeyInfo: request.subjectPublicKeyInfo, keyDescription: request.publicKey,
            authority: authority)
        let (copy, record) = signedIntermediateRecord(info, name: name, authority: authority, at: date)
        try commit(
            kind: "sign-intermediate", summary: "intermediate CA \(info.subject) for a request", archives: [],
            newFiles: [copy], at: date, changes: [.insert(record)])
        return CreatedIntermediate(
            info: info, chainAbove: aboveInfo,
            cappedByParent: date.addingTimeInterval(TimeInterval(days) * 86_400) > authority.info.notAfter,
            files: [directory.absolute(copy.destination)])
    }
}
