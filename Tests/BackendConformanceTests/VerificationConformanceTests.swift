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
}
