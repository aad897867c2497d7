import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Path validation gives the same verdicts on every engine")
struct VerificationConformanceTests {
    private static let db1 = VerificationPolicy.PeerIdentity.dns("db1.example.com")
    private static let db1IP = VerificationPolicy.PeerIdentity.ip(IPAddress("192.0.2.10")!)

    /// Expects `result` to fail with `reason` (possibly among others).
    private func expectInvalid(
        _ result: VerificationResult, _ reason: VerificationFailure.Reason,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(!result.isValid, "expected \(reason), got valid", sourceLocation: sourceLocation)
        #expect(
            result.reasons.contains(reason), "expected \(reason), got \(result.failures)",
            sourceLocation: sourceLocation)
    }

    @Test("a good chain is valid for its DNS name and its IP", arguments: EngineUnderTest.pairs)
    func goodChainIsValid(pair: EnginePair) throws {
        let chain = try TestPKI(pair.maker).standardChain()
        let checker = TestPKI(pair.checker)
        for peer in [Self.db1, Self.db1IP, nil] {
            let result = try checker.verify(
                chain.leaf, intermediates: [chain.intermediate], anchors: [chain.root],
                policy: TestPKI.policy(peer: peer))
            #expect(result.isValid, "\(String(describing: peer)): \(result.failures)")
        }
    }

    @Test("an unrelated certificate among the intermediates does not matter", arguments: EngineUnderTest.all)
    func spareIntermediatesAreIgnored(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let chain = try pki.standardChain()
        let stray = try pki.issue(.intermediateCA(name: "Stray CA"), by: pki.root("Stray Root"))
        let result = try pki.verify(
            chain.leaf, intermediates: [stray, chain.intermediate], anchors: [chain.root],
            policy: TestPKI.policy(peer: Self.db1))
        #expect(result.isValid, "\(result.failures)")
    }

    @Test("a leaf is expired after its notAfter", arguments: EngineUnderTest.all)
    func expiredLeaf(engine: EngineUnderTest) throws {
        let chain = try TestPKI(engine).standardChain()
        let after = chain.leaf.info.notAfter.addingTimeInterval(1)
        expectInvalid(
            try TestPKI(engine).verify(
                chain.leaf, intermediates: [chain.intermediate], anchors: [chain.root],
                policy: TestPKI.policy(at: after)),
            .expired)
    }

    @Test("a leaf is not yet valid before its notBefore", arguments: EngineUnderTest.all)
    func notYetValidLeaf(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let later = try pki.issue(
            .server(name: "db1.example.com", dns: ["db1.example.com"], ips: []), by: root,
            at: TestPKI.now.addingTimeInterval(30 * TestPKI.day))
        expectInvalid(try pki.verify(later, anchors: [root]), .notYetValid)
    }

    @Test("a wrong host name is refused, and wildcards match one whole label only", arguments: EngineUnderTest.all)
    func wrongHostIsRefused(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let wildcard = try pki.issue(.server(name: "wild", dns: ["*.db.example.com"], ips: []), by: root)
        let valid = try pki.verify(wildcard, anchors: [root], policy: TestPKI.policy(peer: .dns("a.db.example.com")))
        #expect(valid.isValid, "\(valid.failures)")
        for name in ["db1.example.org", "a.b.db.example.com", "db.example.com"] {
            expectInvalid(
                try pki.verify(wildcard, anchors: [root], policy: TestPKI.policy(peer: .dns(name))), .hostnameMismatch)
        }
    }

    @Test("the subject CN is never used as a host name", arguments: EngineUnderTest.all)
    func commonNameIsNotAHostName(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let cnOnly = try pki.custom(subject: "db1.example.com", by: root) { $0.subjectAlternativeNames = [] }
        expectInvalid(
            try pki.verify(cnOnly, anchors: [root], policy: TestPKI.policy(peer: Self.db1)), .hostnameMismatch)
    }

    @Test("an IP matches only an iPAddress SAN, and a DNS name never an IP SAN", arguments: EngineUnderTest.all)
    func ipAndDNSAreDistinct(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let dnsLooksLikeIP = try pki.custom(subject: "x", by: root) {
            $0.subjectAlternativeNames = [.dns("192.0.2.10")]
        }
        expectInvalid(
            try pki.verify(dnsLooksLikeIP, anchors: [root], policy: TestPKI.policy(peer: Self.db1IP)), .ipMismatch)
        let ipOnly = try pki.custom(subject: "x", by: root) {
            $0.subjectAlternativeNames = [.ip(IPAddress("192.0.2.10")!)]
        }
        expectInvalid(
            try pki.verify(ipOnly, anchors: [root], policy: TestPKI.policy(peer: Self.db1)), .hostnameMismatch)
        expectInvalid(
            try pki.verify(ipOnly, anchors: [root], policy: TestPKI.policy(peer: .ip(IPAddress("192.0.2.11")!))),
            .ipMismatch)
        let v6 = try pki.verify(
            try pki.custom(subject: "x", by: root) { $0.subjectAlternativeNames = [.ip(IPAddress("2001:db8::1")!)] },
            anchors: [root], policy: TestPKI.policy(peer: .ip(IPAddress("2001:db8:0::1")!)))
        #expect(v6.isValid, "\(v6.failures)")
    }

    @Test("a client certificate is not a server certificate, and the reverse", arguments: EngineUnderTest.all)
    func wrongPurposeIsRefused(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let client = try pki.issue(.client(name: "app"), by: root)
        expectInvalid(
            try pki.verify(client, anchors: [root], policy: TestPKI.policy(purpose: .server)), .purposeMismatch)
        #expect(try pki.verify(client, anchors: [root], policy: TestPKI.policy(purpose: .client)).isValid)
        let server = try pki.issue(.server(name: "s", dns: ["s.example.com"], ips: []), by: root)
        expectInvalid(
            try pki.verify(server, anchors: [root], policy: TestPKI.policy(purpose: .client)), .purposeMismatch)
        // The wrong purpose is the only failure, under an intermediate too.
        let chain = try WebChain(engine)
        #expect(try chain.verify(policy: TestPKI.policy(purpose: .client)).reasons == [.purposeMismatch])
    }

    @Test("a certificate signed by a non-CA is refused", arguments: EngineUnderTest.all)
    func issuerWithoutCAFlagIsRefused(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let notCA = try pki.custom(subject: "Not A CA", by: root) {
            $0.keyUsage = [.digitalSignature, .keyCertSign]
            $0.extendedKeyUsage = []
        }
        let leaf = try pki.custom(subject: "leaf", by: notCA) { $0.subjectAlternativeNames = [.dns("db1.example.com")] }
        expectInvalid(try pki.verify(leaf, intermediates: [notCA], anchors: [root]), .notCA)
    }

    @Test("a path longer than a pathLenConstraint allows is refused", arguments: EngineUnderTest.all)
    func pathLengthIsEnforced(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let first = try pki.issue(.intermediateCA(name: "First", pathLength: 0), by: root)
        let second = try pki.issue(.intermediateCA(name: "Second", pathLength: 0), by: first)
        let leaf = try pki.issue(.server(name: "s", dns: ["s.example.com"], ips: []), by: second)
        expectInvalid(try pki.verify(leaf, intermediates: [first, second], anchors: [root]), .pathLengthExceeded)
    }

    @Test("the maximum number of intermediates is enforced", arguments: EngineUnderTest.all)
    func maxIntermediatesIsEnforced(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let chain = try pki.standardChain()
        let one = try pki.verify(
            chain.leaf, intermediates: [chain.intermediate], anchors: [chain.root],
            policy: TestPKI.policy(maxIntermediates: 1))
        #expect(one.isValid, "\(one.failures)")
        expectInvalid(
            try pki.verify(
                chain.leaf, intermediates: [chain.intermediate], anchors: [chain.root],
                policy: TestPKI.policy(maxIntermediates: 0)),
            .pathLengthExceeded)
    }

    @Test("a chain to a root that is not trusted is refused", arguments: EngineUnderTest.all)
    func untrustedRootIsRefused(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let chain = try pki.standardChain()
        let stranger = try pki.root("Stranger Root")
        expectInvalid(try pki.verify(chain.leaf, intermediates: [chain.intermediate], anchors: [stranger]), .untrusted)
        expectInvalid(try pki.verify(chain.leaf, anchors: [chain.root]), .untrusted)
    }

    @Test("a tampered signature is refused", arguments: EngineUnderTest.all)
    func tamperedSignatureIsRefused(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let leaf = try pki.issue(.server(name: "s", dns: ["s.example.com"], ips: []), by: root, keyType: .rsa2048)
        var der = leaf.der
        der[der.count - 5] ^= 0x01  // inside the RSA signature value
        let tampered = Issued(der: der, key: leaf.key, info: leaf.info)
        let result = try pki.verify(tampered, anchors: [root])
        #expect(!result.isValid)
        #expect(result.reasons.contains(.badSignature) || result.reasons.contains(.untrusted), "\(result.failures)")
    }

    @Test("a certificate revoked by its issuer's CRL is refused", arguments: EngineUnderTest.pairs)
    func revokedByCRL(pair: EnginePair) throws {
        let maker = TestPKI(pair.maker)
        let chain = try maker.standardChain()
        let crl = try pair.maker.backend.createCRL(
            CRLRequest(
                thisUpdate: TestPKI.now, nextUpdate: TestPKI.now.addingTimeInterval(7 * TestPKI.day),
                crlNumber: [1],
                revoked: [RevokedCertificate(serialNumber: chain.leaf.info.serialNumber, revocationDate: TestPKI.now)],
                authorityKeyIdentifier: chain.intermediate.info.subjectKeyIdentifier),
            issuer: chain.intermediate.der, signingKey: chain.intermediate.key)
        let checker = TestPKI(pair.checker)
        expectInvalid(
            try checker.verify(chain.leaf, intermediates: [chain.intermediate], anchors: [chain.root], crls: [crl]),
            .revoked)
        let sibling = try maker.issue(.server(name: "s2", dns: ["s2.example.com"], ips: []), by: chain.intermediate)
        let stillGood = try checker.verify(
            sibling, intermediates: [chain.intermediate], anchors: [chain.root], crls: [crl])
        #expect(stillGood.isValid, "\(stillGood.failures)")
    }

    @Test("SHA-1 signatures are refused by policy", arguments: EngineUnderTest.all)
    func sha1IsRefused(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root(keyType: .rsa2048)
        let leaf: Issued
        do {
            leaf = try pki.custom(subject: "old", by: root) {
                $0.digest = .sha1
                $0.subjectAlternativeNames = [.dns("old.example.com")]
            }
        } catch let error as PKIError where error.code == .unsupported {
            return  // an engine that refuses to sign with SHA-1 at all also satisfies the policy
        }
        #expect(leaf.info.signatureAlgorithmOID == "1.2.840.113549.1.1.5")
        expectInvalid(try pki.verify(leaf, anchors: [root]), .insecureAlgorithm)
    }

    @Test("an expired trust anchor is refused", arguments: EngineUnderTest.all)
    func expiredAnchorIsRefused(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let chain = try pki.standardChain()
        let result = try pki.verify(
            chain.leaf, intermediates: [chain.intermediate], anchors: [chain.root],
            policy: TestPKI.policy(at: chain.root.info.notAfter.addingTimeInterval(1)))
        expectInvalid(result, .expired)
        // GnuTLS's status word names no depth; dbpki's ValidityRule says which certificate it is.
        let request = VerificationRequest(
            leaf: chain.leaf.der, intermediates: [chain.intermediate.der], trustAnchors: [chain.root.der],
            policy: TestPKI.policy(at: chain.root.info.notAfter.addingTimeInterval(1)))
        let failures = try ChainVerifier(engines: [engine.backend]).verify(request).results[0].failures
        #expect(failures.contains { $0.reason == .expired && $0.depth == 2 }, "\(failures)")
    }

    @Test("dbpki's rules hold both engines to one profile", arguments: EngineUnderTest.all)
    func coreRulesApplyToEveryEngine(maker: EngineUnderTest) throws {
        let pki = TestPKI(maker)
        let root = try pki.root()
        let underscore = try pki.custom(subject: "x", by: root) {
            $0.subjectAlternativeNames = [.dns("db_1.example.com")]
        }
        let request = VerificationRequest(leaf: underscore.der, trustAnchors: [root.der], policy: TestPKI.policy())
        for engine in EngineUnderTest.all {
            #expect(try engine.backend.verify(request).isValid, "the engine alone accepts it")
            let outcome = try ChainVerifier(engines: [engine.backend]).verify(request)
            #expect(outcome.results[0].failures.map(\.reason) == [.malformed], "\(outcome.results[0].failures)")
        }
    }

    @Test("a verifier applies the rules it is given, and a rule's failure names it", arguments: EngineUnderTest.all)
    func rulesAreChosenByTheCaller(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let underscore = try pki.custom(subject: "x", by: root) {
            $0.subjectAlternativeNames = [.dns("db_1.example.com")]
        }
        let request = VerificationRequest(leaf: underscore.der, trustAnchors: [root.der], policy: TestPKI.policy())
        let profile = try ChainVerifier(engines: [engine.backend]).verify(request).results[0]
        #expect(profile.failures.map(\.rule) == ["subject-alt-name"], "\(profile.failures)")
        #expect(try ChainVerifier(engines: [engine.backend], rules: []).verify(request).isValid)
        let others = VerificationProfile.rfc5280.rules.filter { $0.id != SubjectAltNameRule.id }
        #expect(try ChainVerifier(engines: [engine.backend], rules: others).verify(request).isValid)

        var late = request
        late.policy = TestPKI.policy(at: root.info.notAfter.addingTimeInterval(1))
        let failures = try ChainVerifier(engines: [engine.backend]).verify(late).results[0].failures
        #expect(failures.contains { $0.reason == .expired && $0.rule == nil }, "the engine's finding: \(failures)")
        #expect(failures.allSatisfy { ($0.rule != nil) == $0.message.hasPrefix("dbpki policy: ") }, "\(failures)")
    }

    @Test("the engines agree on every verdict above", arguments: EngineUnderTest.all)
    func enginesAgree(maker: EngineUnderTest) throws {
        let pki = TestPKI(maker)
        let chain = try pki.standardChain()
        let request = VerificationRequest(
            leaf: chain.leaf.der, intermediates: [chain.intermediate.der], trustAnchors: [chain.root.der],
            policy: TestPKI.policy(peer: .dns("wrong.example.com")))
        let outcome = try ChainVerifier(engines: EngineUnderTest.all.map(\.backend)).verify(request)
        #expect(!outcome.isValid)
        #expect(!outcome.verdictsDiffer)
        #expect(outcome.disagreementReport.isEmpty, "\(outcome.disagreementReport)")
    }

    @Test(
        "a good chain is valid with a duplicated anchor, spare certificates among the intermediates, its host in any case or under its wildcard, its IP, or no purpose",
        arguments: EngineUnderTest.all)
    func goodChainVariants(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let other = try WebChain(engine)
        let plain = try chain.verify()
        #expect(plain.failures == [])
        #expect(plain.engine == engine.backend.engine)
        #expect(try chain.verify(anchors: [chain.root, chain.root]).isValid)
        let pool = try chain.verify(
            intermediates: [other.intermediate, chain.root, chain.intermediate],
            policy: TestPKI.policy(peer: .dns("www.example.com")))
        #expect(pool.isValid, "\(pool.failures)")
        let peers: [VerificationPolicy.PeerIdentity] = [
            .dns("www.example.com"), .dns("WWW.Example.COM"), .dns("v1.api.example.com"), .ip(IPAddress("192.0.2.1")!),
        ]
        for peer in peers {
            let result = try chain.verify(policy: TestPKI.policy(peer: peer))
            #expect(result.isValid, "\(peer): \(result.failures)")
        }
        #expect(try chain.verify(policy: TestPKI.policy(purpose: nil)).isValid)
    }

    @Test("an intermediate may be the anchor, and an anchor verifies against itself", arguments: EngineUnderTest.all)
    func anyCAMayBeTheAnchor(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let underIntermediate = try chain.verify(intermediates: [], anchors: [chain.intermediate])
        #expect(underIntermediate.isValid, "\(underIntermediate.failures)")
        let rootAlone = try chain.verify(chain.root, intermediates: [], policy: TestPKI.policy(purpose: nil))
        #expect(rootAlone.isValid, "\(rootAlone.failures)")
        let intermediateAlone = try chain.verify(
            chain.intermediate, intermediates: [], anchors: [chain.intermediate], policy: TestPKI.policy(purpose: nil))
        #expect(intermediateAlone.isValid, "\(intermediateAlone.failures)")
    }

    @Test(
        "a path is found past an expired copy of the intermediate that comes first among the intermediates",
        arguments: EngineUnderTest.all)
    func pathBuildingSkipsAnExpiredCopy(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        // The same intermediate (name and key) issued long ago for 30 days.
        let authority = try SigningAuthority(certificate: chain.root.der, key: chain.root.key, backend: engine.backend)
        let expiredDER = try chain.pki.issuer(at: TestPKI.now.addingTimeInterval(-400 * TestPKI.day)).issue(
            .intermediateCA(name: "Test Intermediate", days: 30), subjectKey: chain.intermediate.key,
            authority: authority)
        let expired = Issued(
            der: expiredDER, key: chain.intermediate.key, info: try engine.backend.parseCertificate(der: expiredDER))
        let result = try chain.verify(intermediates: [expired, chain.intermediate])
        #expect(result.isValid, "\(result.failures)")
        #expect(try chain.verify(intermediates: [expired]).reasons == [.expired])
    }

    @Test(
        "a time failure is the only failure: expired after the leaf's notAfter, not yet valid before the notBefore, the anchor's notBefore included",
        arguments: EngineUnderTest.all)
    func timeFailuresAreReportedAlone(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let late = try chain.verify(policy: TestPKI.policy(at: TestPKI.now.addingTimeInterval(900 * TestPKI.day)))
        #expect(late.reasons == [.expired], "\(late.failures)")
        let early = try chain.verify(policy: TestPKI.policy(at: TestPKI.now.addingTimeInterval(-TestPKI.day)))
        #expect(early.reasons == [.notYetValid], "\(early.failures)")
        let rootOnly = try chain.verify(
            chain.root, intermediates: [],
            policy: TestPKI.policy(purpose: nil, at: TestPKI.now.addingTimeInterval(-TestPKI.day)))
        #expect(rootOnly.reasons == [.notYetValid], "\(rootOnly.failures)")
    }

    @Test(
        "an anchor that has expired while its leaf has not is the one expired certificate",
        arguments: EngineUnderTest.all)
    func expiredAnchorAlone(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let (underOldRoot, oldRoot) = try chain.leafUnderExpiredRoot()
        let expiredAnchor = try chain.verify(underOldRoot, intermediates: [], anchors: [oldRoot])
        #expect(expiredAnchor.reasons == [.expired], "\(expiredAnchor.failures)")
    }

    @Test(
        "a name mismatch is the only failure: another host, the bare domain, two labels or none under a wildcard, an IP written as a host, a near IP, a name only in the CN",
        arguments: EngineUnderTest.all)
    func nameMismatchesAreReportedAlone(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        for name in ["other.example.com", "example.com", "a.b.api.example.com", "api.example.com", "192.0.2.1"] {
            let result = try chain.verify(policy: TestPKI.policy(peer: .dns(name)))
            #expect(result.reasons == [.hostnameMismatch], "\(name): \(result.failures)")
        }
        let nearIP = try chain.verify(policy: TestPKI.policy(peer: .ip(IPAddress("192.0.2.2")!)))
        #expect(nearIP.reasons == [.ipMismatch], "\(nearIP.failures)")
        // The subject CN is never used: a certificate whose only name is the CN matches no host.
        let client = try chain.pki.issue(.client(name: "client.example.com"), by: chain.intermediate)
        let cnOnly = try chain.verify(
            client, policy: TestPKI.policy(peer: .dns("client.example.com"), purpose: .client))
        #expect(cnOnly.reasons == [.hostnameMismatch], "\(cnOnly.failures)")
    }

    @Test("a certificate signed by a server leaf is refused: its issuer is no CA", arguments: EngineUnderTest.all)
    func leafAsIssuerIsRefused(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let underLeaf = try chain.pki.custom(subject: "under-a-leaf", by: chain.leaf) {
            $0.subjectAlternativeNames = [.dns("under.example")]
        }
        #expect(underLeaf.info.issuer == "CN=www.example.com")
        for purpose in [VerificationPolicy.Purpose.server, nil] {
            let result = try chain.verify(
                underLeaf, intermediates: [chain.leaf, chain.intermediate], policy: TestPKI.policy(purpose: purpose))
            #expect(result.reasons.contains(.notCA), "\(String(describing: purpose)): \(result.failures)")
        }
    }

    @Test("a CA whose key usage lacks keyCertSign is refused as no CA", arguments: EngineUnderTest.all)
    func caWithoutKeyCertSignIsRefused(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let (leaf, ca) = try chain.leafUnderCAWithoutKeyCertSign()
        let result = try chain.verify(leaf, intermediates: [ca])
        // OpenSSL adds purpose-mismatch: its purpose check wants keyCertSign on a CA too.
        #expect(result.reasons.contains(.notCA), "\(result.failures)")
    }

    @Test(
        "a pathLenConstraint limits the CAs below, even those without one, and maxIntermediates counts the CAs between leaf and anchor",
        arguments: EngineUnderTest.all)
    func pathLengthFromAboveAndTheIntermediateLimit(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine, intermediatePathLength: 0)
        let sub = try chain.pki.issue(.intermediateCA(name: "Sub CA", pathLength: nil), by: chain.intermediate)
        let deep = try chain.pki.issue(.server(name: "deep.example", dns: ["deep.example"], ips: []), by: sub)
        let result = try chain.verify(deep, intermediates: [sub, chain.intermediate])
        #expect(result.reasons == [.pathLengthExceeded], "\(result.failures)")
        let shallow = try chain.verify(policy: TestPKI.policy(maxIntermediates: 0))
        #expect(shallow.reasons == [.pathLengthExceeded], "\(shallow.failures)")
        #expect(try chain.verify(policy: TestPKI.policy(maxIntermediates: 1)).isValid)

        let open = try WebChain(engine, intermediatePathLength: nil)
        let openSub = try open.pki.issue(.intermediateCA(name: "Sub CA"), by: open.intermediate)
        let openLeaf = try open.pki.issue(.server(name: "deep", dns: ["deep.example"], ips: []), by: openSub)
        let pool = [openSub, open.intermediate]
        #expect(try open.verify(openLeaf, intermediates: pool).isValid)
        #expect(
            try open.verify(openLeaf, intermediates: pool, policy: TestPKI.policy(maxIntermediates: 1)).reasons == [
                .pathLengthExceeded
            ])
        #expect(try open.verify(openLeaf, intermediates: pool, policy: TestPKI.policy(maxIntermediates: 2)).isValid)
    }

    @Test(
        "untrusted is the only failure for a stranger's root, no intermediates, no anchors, or a root under another anchor",
        arguments: EngineUnderTest.all)
    func untrustedIsReportedAlone(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let other = try WebChain(engine)
        #expect(try chain.verify(anchors: [other.root]).reasons == [.untrusted])
        #expect(try chain.verify(intermediates: []).reasons == [.untrusted])
        #expect(try chain.verify(anchors: []).reasons == [.untrusted])
        #expect(try chain.verify(chain.root, intermediates: [], anchors: [other.root]).reasons == [.untrusted])
    }

    @Test(
        "a flipped bit in an ECDSA or Ed25519 leaf's signature is a bad signature and nothing else",
        arguments: EngineUnderTest.all, [KeyType.ecdsaP256, .ed25519])
    func tamperedSignatureIsReportedAlone(engine: EngineUnderTest, signer: KeyType) throws {
        let pki = TestPKI(engine)
        let root = try pki.root("Test Root", keyType: signer)
        let leaf = try pki.issue(.server(name: "s", dns: ["s.example.com"], ips: []), by: root)
        for fromEnd in [3, 5] {
            var der = leaf.der
            der[der.count - fromEnd] ^= 0x01
            let result = try pki.verify(WebChain.replacing(leaf, der: der), anchors: [root])
            #expect(result.reasons == [.badSignature], "byte \(fromEnd) from the end: \(result.failures)")
        }
    }

    @Test(
        "a SHA-1 signature or an RSA key under 2048 bits below the anchor is insecure",
        arguments: EngineUnderTest.all)
    func weakAlgorithmsBelowTheAnchor(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let sha1Leaf = try chain.pki.custom(subject: "sha1.example", by: chain.intermediate) {
            $0.subjectAlternativeNames = [.dns("sha1.example")]
            $0.digest = .sha1
        }
        #expect(try chain.verify(sha1Leaf).reasons == [.insecureAlgorithm])
        let smallKey = try engine.backend.importPrivateKey(
            der: TestVectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
        let smallLeaf = try chain.pki.custom(subject: "small.example", key: smallKey, by: chain.intermediate) {
            $0.subjectAlternativeNames = [.dns("small.example")]
        }
        #expect(try chain.verify(smallLeaf).reasons == [.insecureAlgorithm])
        // An intermediate signed with SHA-1 (RSA) checked on its own.
        let rsaRoot = try chain.pki.root("RSA Root", keyType: .rsa2048)
        let weakCA = try chain.pki.custom(
            subject: "Weak CA", key: try engine.backend.generatePrivateKey(.rsa2048), by: rsaRoot
        ) {
            $0.isCA = true
            $0.keyUsage = [.keyCertSign, .cRLSign]
            $0.extendedKeyUsage = []
            $0.digest = .sha1
        }
        #expect(weakCA.info.signatureAlgorithmOID == "1.2.840.113549.1.1.5")
        let weak = try chain.verify(weakCA, intermediates: [], anchors: [rsaRoot], policy: TestPKI.policy(purpose: nil))
        #expect(weak.reasons == [.insecureAlgorithm], "\(weak.failures)")
    }

    @Test("a SHA-1 self-signed anchor is fine: its own signature is not checked", arguments: EngineUnderTest.all)
    func sha1AnchorIsFine(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let sha1Root = try chain.pki.custom(subject: "SHA-1 Root", by: nil) {
            $0.isCA = true
            $0.keyUsage = [.keyCertSign, .cRLSign]
            $0.extendedKeyUsage = []
            $0.digest = .sha1
        }
        #expect(sha1Root.info.signatureAlgorithmOID == "1.2.840.10045.4.1")  // ecdsa-with-SHA1
        let underSHA1Root = try chain.pki.custom(subject: "ok.example", by: sha1Root) {
            $0.subjectAlternativeNames = [.dns("ok.example")]
        }
        #expect(try chain.verify(underSHA1Root, intermediates: [], anchors: [sha1Root]).isValid)
    }

    @Test(
        "an anchor is checked as an issuer: a leaf as anchor may not issue, and a leaf that is itself an anchor is still checked for time",
        arguments: EngineUnderTest.all)
    func anchorIsCheckedAsAnIssuer(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let underLeaf = try chain.pki.custom(subject: "under-a-leaf", by: chain.leaf) {
            $0.subjectAlternativeNames = [.dns("under.example")]
        }
        #expect(try chain.verify(underLeaf, intermediates: [], anchors: [chain.leaf]).reasons == [.notCA])
        let late = TestPKI.policy(at: TestPKI.now.addingTimeInterval(900 * TestPKI.day))
        #expect(try chain.verify(intermediates: [], anchors: [chain.leaf], policy: late).reasons == [.expired])
        #expect(try chain.verify(intermediates: [], anchors: [chain.leaf]).isValid)
    }

    @Test(
        "a chain verifies whatever the leaf's key type", arguments: EngineUnderTest.all,
        [KeyType.ed25519, .rsa2048, .ecdsaP384])
    func everyLeafKeyTypeVerifies(engine: EngineUnderTest, type: KeyType) throws {
        let chain = try WebChain(engine, leafKeyType: type)
        #expect(try chain.verify(policy: TestPKI.policy(peer: .dns("www.example.com"))).failures == [])
        #expect(try engine.backend.parseCertificate(der: chain.leaf.der).publicKey == type.publicKeyDescription)
    }

    @Test("verification is safe from many threads at once", arguments: EngineUnderTest.all)
    func verificationIsThreadSafe(engine: EngineUnderTest) async throws {
        let chain = try WebChain(engine)
        let late = TestPKI.now.addingTimeInterval(900 * TestPKI.day)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let expired = index % 2 == 0
                    let result = try chain.verify(
                        policy: TestPKI.policy(at: expired ? late : TestPKI.now.addingTimeInterval(3600)))
                    return result.isValid != expired
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }

    @Test("an anchor whose RSA key is under 2048 bits is insecure", arguments: EngineUnderTest.all)
    func smallAnchorKeyIsInsecure(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let smallKey = try engine.backend.importPrivateKey(
            der: TestVectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
        let smallRoot = try chain.pki.custom(subject: "Small Root", key: smallKey, by: nil) {
            $0.isCA = true
            $0.keyUsage = [.keyCertSign, .cRLSign]
            $0.extendedKeyUsage = []
        }
        let leaf = try chain.pki.custom(subject: "ok.example", by: smallRoot) {
            $0.subjectAlternativeNames = [.dns("ok.example")]
        }
        let result = try chain.verify(leaf, intermediates: [], anchors: [smallRoot])
        #expect(result.reasons == [.insecureAlgorithm], "\(result.failures)")
    }

    @Test(
        "an intermediate whose extendedKeyUsage lacks serverAuth may not issue server certificates",
        arguments: EngineUnderTest.all)
    func intermediateEKUMustAllowThePurpose(engine: EngineUnderTest) throws {
        let chain = try WebChain(engine)
        let (leaf, clientCA) = try chain.serverLeafUnderClientOnlyCA()
        let result = try chain.verify(leaf, intermediates: [clientCA])
        #expect(result.reasons == [.purposeMismatch], "\(result.failures)")
        #expect(try chain.verify(leaf, intermediates: [clientCA], policy: TestPKI.policy(purpose: nil)).isValid)
    }
}
