import DBPKI
import Foundation

/// Builds test PKIs in code through one engine, at a fixed clock, so every test
/// states exactly the certificates it needs and no test depends on files made elsewhere.
public struct TestPKI: Sendable {
    /// The clock the test PKIs are made at: 2026-01-01T00:00:00Z.
    public static let now = Date(timeIntervalSince1970: 1_767_225_600)
    public static let day: TimeInterval = 86_400

    public let backend: any PKIBackend

    /// A test PKI made by `engine`.
    public init(_ engine: EngineUnderTest) { backend = engine.backend }
    /// A test PKI made by `backend`, for engines the tests wrap or build themselves.
    public init(backend: any PKIBackend) { self.backend = backend }

    /// The core's issuer on this engine, with its clock stopped at `date`.
    public func issuer(at date: Date = TestPKI.now) -> CertificateIssuer {
        CertificateIssuer(backend: backend, now: { date })
    }

    /// A self-signed root CA.
    public func root(_ name: String = "dbpki Test Root", keyType: KeyType = .ecdsaP256, at date: Date = TestPKI.now)
        throws -> Issued
    {
        let key = try backend.generatePrivateKey(keyType)
        let der = try issuer(at: date).issue(.rootCA(name: name), subjectKey: key, authority: nil)
        return Issued(der: der, key: key, info: try backend.parseCertificate(der: der))
    }

    /// A certificate under `profile` signed by `parent`.
    public func issue(
        _ profile: CertificateProfile, by parent: Issued, keyType: KeyType = .ecdsaP256, at date: Date = TestPKI.now
    ) throws -> Issued {
        let key = try backend.generatePrivateKey(keyType)
        let der = try issuer(at: date).issue(
            profile, subjectKey: key,
            authority: SigningAuthority(certificate: parent.der, key: parent.key, backend: backend))
        return Issued(der: der, key: key, info: try backend.parseCertificate(der: der))
    }

    /// A certificate from a hand-made request, for shapes the profiles refuse to make
    /// (a CA without the CA flag, odd validity, a weak key). `edit` adjusts the default request;
    /// `key` is the subject's key (a new P-256 key when nil), which also signs when there is no parent.
    public func custom(
        subject: String, key: PrivateKey? = nil, by parent: Issued?, edit: (inout CertificateRequest) -> Void
    ) throws -> Issued {
        let key = try key ?? backend.generatePrivateKey(.ecdsaP256)
        let spki = try backend.publicKeyInfo(of: key)
        let keyID = try issuer().keyIdentifier(ofSPKI: spki)
        var request = CertificateRequest(
            subject: .commonName(subject), serialNumber: SerialNumber.random(),
            notBefore: TestPKI.now.addingTimeInterval(-60), notAfter: TestPKI.now.addingTimeInterval(365 * TestPKI.day),
            subjectPublicKeyInfo: spki, keyUsage: [.digitalSignature], extendedKeyUsage: [ExtendedKeyUsage.serverAuth],
            subjectKeyIdentifier: keyID, authorityKeyIdentifier: parent?.info.subjectKeyIdentifier ?? keyID)
        edit(&request)
        let der = try backend.createCertificate(request, issuer: parent?.der, signingKey: parent?.key ?? key)
        return Issued(der: der, key: key, info: try backend.parseCertificate(der: der))
    }

    /// root -> intermediate -> server leaf for db1.example.com and 192.0.2.10.
    public func standardChain(leafKeyType: KeyType = .ecdsaP256) throws -> (
        root: Issued, intermediate: Issued, leaf: Issued
    ) {
        let root = try root()
        let intermediate = try issue(.intermediateCA(name: "dbpki Test Issuing CA"), by: root)
        let leaf = try issue(
            .server(name: "db1.example.com", dns: ["db1.example.com"], ips: [IPAddress("192.0.2.10")!]),
            by: intermediate, keyType: leafKeyType)
        return (root, intermediate, leaf)
    }

    /// Asks this engine to verify `leaf` against `anchors` with `intermediates`.
    public func verify(
        _ leaf: Issued, intermediates: [Issued] = [], anchors: [Issued], crls: [[UInt8]] = [],
        policy: VerificationPolicy = TestPKI.policy()
    ) throws -> VerificationResult {
        try backend.verify(
            VerificationRequest(
                leaf: leaf.der, intermediates: intermediates.map(\.der), trustAnchors: anchors.map(\.der), crls: crls,
                policy: policy))
    }

    /// A server policy at the test clock, optionally for a peer name.
    public static func policy(
        peer: VerificationPolicy.PeerIdentity? = nil, purpose: VerificationPolicy.Purpose? = .server,
        at time: Date = TestPKI.now.addingTimeInterval(3600), maxIntermediates: Int? = nil
    ) -> VerificationPolicy {
        VerificationPolicy(time: time, purpose: purpose, peer: peer, maxIntermediates: maxIntermediates)
    }
}

extension CertificateRequest {
    /// A self-signed request for `key` with only a CN of "x", serial 1 and a day's validity from
    /// ``TestPKI/now``: the base an engine test changes one field of.
    public static func minimal(
        for key: PrivateKey, on backend: any PKIBackend, subjectAlternativeNames: [SubjectAlternativeName] = []
    ) throws -> CertificateRequest {
        CertificateRequest(
            subject: .commonName("x"), serialNumber: [1], notBefore: TestPKI.now,
            notAfter: TestPKI.now.addingTimeInterval(TestPKI.day),
            subjectPublicKeyInfo: try backend.publicKeyInfo(of: key),
            subjectAlternativeNames: subjectAlternativeNames)
    }
}
