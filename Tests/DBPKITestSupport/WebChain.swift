import DBPKI

/// A root CA (P-384), an intermediate CA (P-256) and a server leaf for www.example.com,
/// *.api.example.com and 192.0.2.1, made by one engine through the core's issuer: the chain the
/// verification tests bend.
public struct WebChain: Sendable {
    public let pki: TestPKI
    public let root: Issued
    public let intermediate: Issued
    public let leaf: Issued

    /// Makes the chain on `engine`; `intermediatePathLength` nil leaves the intermediate unconstrained.
    public init(_ engine: EngineUnderTest, intermediatePathLength: Int? = 0, leafKeyType: KeyType = .ecdsaP256) throws {
        pki = TestPKI(engine)
        root = try pki.root("Test Root", keyType: .ecdsaP384)
        intermediate = try pki.issue(
            .intermediateCA(name: "Test Intermediate", pathLength: intermediatePathLength), by: root)
        leaf = try pki.issue(
            .server(
                name: "www.example.com", dns: ["www.example.com", "*.api.example.com"], ips: [IPAddress("192.0.2.1")!]),
            by: intermediate, keyType: leafKeyType)
    }

    /// Verifies `leaf` (this chain's leaf by default) with this chain's intermediate and root unless
    /// others are given, on the engine that made the chain unless `checker` is given.
    public func verify(
        _ leaf: Issued? = nil, intermediates: [Issued]? = nil, anchors: [Issued]? = nil, crls: [[UInt8]] = [],
        policy: VerificationPolicy = TestPKI.policy(), on checker: EngineUnderTest? = nil
    ) throws -> VerificationResult {
        try (checker.map(TestPKI.init) ?? pki).verify(
            leaf ?? self.leaf, intermediates: intermediates ?? [intermediate], anchors: anchors ?? [root], crls: crls,
            policy: policy)
    }

    /// A certificate with `der` in place of `issued`'s, for tampered or patched copies.
    public static func replacing(_ issued: Issued, der: [UInt8]) -> Issued {
        Issued(der: der, key: issued.key, info: issued.info)
    }

    /// A root that expired ten days ago and a leaf under it that has not: the anchor is the one
    /// expired certificate on the path.
    public func leafUnderExpiredRoot() throws -> (leaf: Issued, root: Issued) {
        let root = try pki.custom(subject: "Old Root", by: nil) {
            $0.isCA = true
            $0.keyUsage = [.keyCertSign, .cRLSign]
            $0.extendedKeyUsage = []
            $0.notBefore = TestPKI.now.addingTimeInterval(-20 * TestPKI.day)
            $0.notAfter = TestPKI.now.addingTimeInterval(-10 * TestPKI.day)
        }
        let leaf = try pki.custom(subject: "ok.example", by: root) { $0.subjectAlternativeNames = [.dns("ok.example")] }
        return (leaf, root)
    }

    /// An intermediate CA (under this chain's root) whose keyUsage lacks keyCertSign, and a leaf it signed.
    public func leafUnderCAWithoutKeyCertSign() throws -> (leaf: Issued, ca: Issued) {
        let ca = try pki.custom(subject: "No Sign CA", by: root) {
            $0.isCA = true
            $0.keyUsage = [.digitalSignature]
            $0.extendedKeyUsage = []
        }
        let leaf = try pki.custom(subject: "leaf", by: ca) { $0.subjectAlternativeNames = [.dns("leaf")] }
        return (leaf, ca)
    }

    /// An intermediate CA whose extendedKeyUsage allows only clientAuth, and a server leaf it signed.
    public func serverLeafUnderClientOnlyCA() throws -> (leaf: Issued, ca: Issued) {
        let ca = try pki.custom(subject: "Client-only CA", by: root) {
            $0.isCA = true
            $0.keyUsage = [.keyCertSign, .cRLSign]
            $0.extendedKeyUsage = [ExtendedKeyUsage.clientAuth]
        }
        let leaf = try pki.custom(subject: "srv.example", by: ca) { $0.subjectAlternativeNames = [.dns("srv.example")] }
        return (leaf, ca)
    }
}
