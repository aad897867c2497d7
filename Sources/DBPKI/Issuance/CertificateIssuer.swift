import Foundation

/// A CA that can sign: its certificate (DER and parsed) and its key.
public struct SigningAuthority: Sendable {
    /// The CA certificate's DER.
    public var certificate: [UInt8]
    /// The parsed CA certificate.
    public var info: CertificateInfo
    /// The CA's private key.
    public var key: PrivateKey

    /// Pairs a CA certificate with its key, checking that they belong together and that it is a CA.
    public init(certificate: [UInt8], key: PrivateKey, backend: any PKIBackend) throws {
        let info = try backend.parseCertificate(der: certificate)
        guard info.isCA else { throw PKIError(.invalidArgument, "certificate \(info.subject) is not a CA") }
        guard try backend.privateKey(key, matchesCertificate: certificate) else {
            throw PKIError(.invalidArgument, "the CA key does not match the CA certificate \(info.subject)")
        }
        self.certificate = certificate
        self.info = info
        self.key = key
    }
}

/// Turns profiles into signed certificates through one engine, applying the
/// core's rules: fresh serials, backdated notBefore, key identifiers, and a
/// leaf never outliving its CA.
public struct CertificateIssuer: Sendable {
    /// The engine that signs.
    public let backend: any PKIBackend
    /// The clock (injectable for tests).
    public var now: @Sendable () -> Date
    /// Where serial numbers come from: ``SerialNumber/random()`` (injectable, so tests can
    /// force a collision and see the inventory draw again).
    public var serialNumbers: @Sendable () -> [UInt8] = { SerialNumber.random() }

    /// Makes an issuer over an engine.
    public init(backend: any PKIBackend, now: @escaping @Sendable () -> Date = { Date() }) {
        self.backend = backend
        self.now = now
    }

    /// Issues a certificate for `subjectKey` under `profile`, signed by `authority`
    /// (or self-signed when `authority` is nil, which only a root CA profile may be).
    public func issue(
        _ profile: CertificateProfile, subjectKey: PrivateKey, authority: SigningAuthority?
    ) throws -> [UInt8] {
        try issue(
            profile, subjectPublicKeyInfo: backend.publicKeyInfo(of: subjectKey),
            keyDescription: subjectKey.publicKeyDescription, authority: authority, selfSigningKey: subjectKey)
    }

    /// Issues a certificate under `profile` for a public key whose private key dbpki does not
    /// hold (a signed request's), signed by `authority`: the same profile, serial, validity
    /// and key-identifier rules as for a key dbpki made, so a leaf is the same whichever way
    /// its key came.
    public func issue(
        _ profile: CertificateProfile, subjectPublicKeyInfo: [UInt8], keyDescription: PublicKeyDescription,
        authority: SigningAuthority
    ) throws -> [UInt8] {
        try issue(
            profile, subjectPublicKeyInfo: subjectPublicKeyInfo, keyDescription: keyDescription, authority: authority,
            selfSigningKey: nil)
    }

    private func issue(
        _ profile: CertificateProfile, subjectPublicKeyInfo spki: [UInt8], keyDescription: PublicKeyDescription,
        authority: SigningAuthority?, selfSigningKey: PrivateKey?
    ) throws -> [UInt8] {
        guard profile.days > 0 else { throw PKIError(.invalidArgument, "validity must be at least 1 day") }
        guard (authority == nil) == (profile.role == .rootCA) else {
            throw PKIError(.invalidArgument, "only a root CA is self-signed")
        }
        guard let signingKey = authority?.key ?? selfSigningKey else {
            throw PKIError(.invalidArgument, "a self-signed certificate needs its own private key")
        }
        if profile.role == .server && profile.subjectAlternativeNames.isEmpty {
            throw PKIError(.invalidArgument, "a server certificate needs at least one DNS name or IP address")
        }
        if profile.subjectAlternativeNames.count > CertificateProfile.maximumSubjectAlternativeNames {
            throw PKIError(
                .invalidArgument,
                "\(profile.subjectAlternativeNames.count) subject alternative names are more than the "
                    + "\(CertificateProfile.maximumSubjectAlternativeNames) dbpki puts in one certificate")
        }
        try profile.subject.validate()
        let issuedAt = UTCClock.wholeSecond(now())
        var notAfter = issuedAt.addingTimeInterval(TimeInterval(profile.days) * 86_400)
        if let authority, notAfter > authority.info.notAfter { notAfter = authority.info.notAfter }
        let keyID = try keyIdentifier(ofSPKI: spki)
        let request = CertificateRequest(
            subject: profile.subject,
            serialNumber: serialNumbers(),
            notBefore: issuedAt.addingTimeInterval(-CertificateProfile.backdate),
            notAfter: notAfter,
            subjectPublicKeyInfo: spki,
            isCA: profile.isCA,
            pathLengthConstraint: profile.isCA ? profile.pathLengthConstraint : nil,
            keyUsage: profile.keyUsage(for: keyDescription),
            extendedKeyUsage: profile.extendedKeyUsage,
            subjectAlternativeNames: profile.subjectAlternativeNames,
            subjectKeyIdentifier: keyID,
            authorityKeyIdentifier: authority?.info.subjectKeyIdentifier ?? (authority == nil ? keyID : nil)
        )
        return try backend.createCertificate(request, issuer: authority?.certificate, signingKey: signingKey)
    }

    /// The RFC 5280 section 4.2.1.2 method-1 key identifier: SHA-1 of the subjectPublicKey bits.
    public func keyIdentifier(ofSPKI spki: [UInt8]) throws -> [UInt8] {
        try backend.digest(.sha1, DERReader.subjectPublicKeyBits(ofSPKI: spki))
    }
}
