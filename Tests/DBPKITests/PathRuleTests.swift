import Foundation
import Testing

@testable import DBPKI

/// Certificates as values, shaped by hand, so each rule is tested without an engine.
private func certificate(
    _ subject: String, issuer: String? = nil, serial: [UInt8] = [0x01], isCA: Bool = false,
    notBefore: Date = Date(timeIntervalSince1970: 0), notAfter: Date = Date(timeIntervalSince1970: 2_000_000_000),
    sans: [SubjectAlternativeName] = [], keyUsage: KeyUsage? = nil, eku: [String]? = nil,
    extensions: [CertificateExtension] = [
        .init(oid: CertificateExtension.authorityKeyIdentifier, critical: false),
        .init(oid: CertificateExtension.subjectKeyIdentifier, critical: false),
        .init(oid: CertificateExtension.basicConstraints, critical: true),
    ]
) -> CertificateInfo {
    CertificateInfo(
        der: shapedDER(subject: Array(subject.utf8), issuer: Array((issuer ?? subject).utf8)), version: 3,
        subject: subject, issuer: issuer ?? subject, serialNumber: serial,
        notBefore: notBefore, notAfter: notAfter, publicKey: KeyType.ecdsaP256.publicKeyDescription,
        signatureAlgorithmOID: "1.2.840.10045.4.3.2", subjectAlternativeNames: sans, isCA: isCA,
        pathLengthConstraint: nil, keyUsage: keyUsage, extendedKeyUsage: eku, subjectKeyIdentifier: [1],
        authorityKeyIdentifier: [2], fingerprintSHA256: [], extensions: extensions)
}

/// A DER skeleton with the names where a TBSCertificate has them (each as one UTF8String CN
/// holding the given bytes), for the rules that read the DER themselves.
private func shapedDER(subject: [UInt8], issuer: [UInt8]) -> [UInt8] {
    func name(_ value: [UInt8]) -> [UInt8] {
        DERWriter.tlv(
            0x30,
            DERWriter.tlv(
                0x31, DERWriter.tlv(0x30, DERWriter.tlv(0x06, [0x55, 0x04, 0x03]) + DERWriter.tlv(0x0c, value))))
    }
    let tbs = DERWriter.tlv(
        0x30,
        DERWriter.tlv(0xa0, DERWriter.tlv(0x02, [2])) + DERWriter.tlv(0x02, [1]) + DERWriter.tlv(0x30, [])
            + name(issuer) + DERWriter.tlv(0x30, []) + name(subject))
    return DERWriter.tlv(0x30, tbs)
}

private let root = certificate("CN=Root", isCA: true)
private let issuing = certificate("CN=Issuing", issuer: "CN=Root", isCA: true)
private let leaf = certificate("CN=db1", issuer: "CN=Issuing", sans: [.dns("db1.example.com")])

private func review(
    _ certificates: [CertificateInfo], anchored: Bool = true, time: Date = Date(timeIntervalSince1970: 1_000_000_000),
    purpose: VerificationPolicy.Purpose? = .server, maxIntermediates: Int? = nil, crls: [CRLInfo] = []
) -> PathUnderReview {
    PathUnderReview(
        certificates: certificates, endsAtTrustAnchor: anchored,
        policy: VerificationPolicy(time: time, purpose: purpose, maxIntermediates: maxIntermediates), crls: crls)
}

@Suite("dbpki's verification rules")
struct PathRuleTests {
    @Test("the default profile is rfc5280 and lists its eleven rules by id, in order")
    func theDefaultProfileNamesItsRules() {
        #expect(VerificationProfile.rfc5280.id == "rfc5280")
        #expect(
            VerificationProfile.rfc5280.rules.map(\.id) == [
                "validity", "serial-number", "key-identifiers", "extension-criticality", "certificate-role",
                "subject-alt-name", "name-encoding", "tls-key-usage", "intermediate-count", "name-constraints",
                "crl-number",
            ])
        #expect(ValidityRule.id == "validity" && NameEncodingRule().id == "name-encoding")
    }

    /// One path each rule fails, and the rule.
    static let brokenPaths: [(any PathRule, PathUnderReview)] = {
        var badUTF8 = certificate("CN=db1", issuer: "CN=Root")
        badUTF8.der = shapedDER(subject: [0x64, 0x62, 0xff, 0xfe], issuer: Array("Root".utf8))
        let unnumbered = CRLInfo(
            der: [], issuer: "CN=Root", thisUpdate: Date(), nextUpdate: nil, crlNumber: nil, revoked: [],
            signatureAlgorithmOID: "1.2.840.10045.4.3.2")
        return [
            (ValidityRule(), review([leaf, root], time: Date(timeIntervalSince1970: 3_000_000_000))),
            (SerialNumberRule(), review([certificate("CN=db1", issuer: "CN=Root", serial: [0]), root])),
            (KeyIdentifierRule(), review([certificate("CN=db1", issuer: "CN=Root", extensions: []), root])),
            (
                ExtensionCriticalityRule(),
                review([
                    certificate(
                        "CN=db1", issuer: "CN=Root",
                        extensions: [.init(oid: CertificateExtension.authorityInfoAccess, critical: true)]),
                    root,
                ])
            ),
            (CertificateRoleRule(), review([leaf, certificate("CN=Root")])),
            (
                SubjectAltNameRule(),
                review([certificate("CN=db1", issuer: "CN=Root", sans: [.dns("db_1.example.com")]), root])
            ),
            (NameEncodingRule(), review([badUTF8, root])),
            (TLSKeyUsageRule(), review([certificate("CN=db1", issuer: "CN=Root", keyUsage: [.keyCertSign]), root])),
            (IntermediateCountRule(), review([leaf, issuing, root], maxIntermediates: 0)),
            // A CA whose nameConstraints cannot be read constrains nothing it could vouch for: the
            // path fails (NameConstraintsTests covers the subtrees themselves).
            (
                NameConstraintsRule(),
                review([
                    leaf,
                    certificate(
                        "CN=Issuing", issuer: "CN=Root", isCA: true,
                        extensions: [.init(oid: CertificateExtension.nameConstraints, critical: true)]),
                    root,
                ])
            ),
            (CRLNumberRule(), review([leaf, root], crls: [unnumbered])),
        ]
    }()

    @Test("every failure a rule finds carries the rule's id")
    func failuresNameTheirRule() {
        #expect(Self.brokenPaths.map { $0.0.id } == VerificationProfile.rfc5280.rules.map(\.id))
        for (rule, path) in Self.brokenPaths {
            let failures = rule.failures(in: path)
            #expect(!failures.isEmpty, "\(rule.id)")
            #expect(failures.allSatisfy { $0.rule == rule.id }, "\(rule.id): \(failures)")
            #expect(failures.allSatisfy { $0.description.hasPrefix("[\(rule.id)] ") }, "\(failures)")
        }
        let engine = VerificationFailure(reason: .expired, message: "certificate has expired", depth: 1)
        #expect(engine.rule == nil && engine.description == "expired at depth 1: certificate has expired")
    }

    @Test("a well-formed path passes every rule")
    func aWellFormedPathPassesEveryRule() {
        let path = review([leaf, issuing, root])
        for rule in VerificationProfile.rfc5280.rules {
            #expect(rule.failures(in: path).isEmpty, "\(type(of: rule))")
        }
    }

    @Test("validity is inclusive to the second and covers the anchor")
    func validityIsInclusiveToTheSecondAndCoversTheAnchor() {
        let end = Date(timeIntervalSince1970: 1_000_000_000)
        let expiring = certificate("CN=db1", issuer: "CN=Root", notAfter: end)
        #expect(ValidityRule().failures(in: review([expiring, root], time: end)).isEmpty)
        #expect(ValidityRule().failures(in: review([expiring, root], time: end.addingTimeInterval(0.005))).isEmpty)
        #expect(
            ValidityRule().failures(in: review([expiring, root], time: end.addingTimeInterval(1))).map(\.reason) == [
                .expired
            ])
        let oldRoot = certificate("CN=Root", isCA: true, notAfter: end)
        #expect(
            ValidityRule().failures(in: review([leaf, oldRoot], time: end.addingTimeInterval(1))).map(\.depth) == [1])
    }

    @Test("serials must be positive and at most 20 bytes, except the anchor's")
    func serialsMustBePositiveAndShortBelowTheAnchor() {
        for serial: [UInt8] in [[0], [0x80], [UInt8](repeating: 1, count: 21)] {
            let bad = certificate("CN=db1", issuer: "CN=Root", serial: serial)
            #expect(SerialNumberRule().failures(in: review([bad, root])).map(\.reason) == [.malformed])
        }
        let zeroRoot = certificate("CN=Root", serial: [0], isCA: true)
        #expect(SerialNumberRule().failures(in: review([leaf, zeroRoot])).isEmpty)
        #expect(SerialNumberRule().failures(in: review([leaf, zeroRoot], anchored: false)).count == 1)
    }

    @Test("key identifiers are required where RFC 5280 says so")
    func keyIdentifiersAreRequiredWhereRFC5280SaysSo() {
        let noAKI = certificate("CN=db1", issuer: "CN=Root", extensions: [])
        #expect(KeyIdentifierRule().failures(in: review([noAKI, root])).count == 1)
        let caWithoutSKI = certificate(
            "CN=Issuing", issuer: "CN=Root", isCA: true,
            extensions: [
                .init(oid: CertificateExtension.authorityKeyIdentifier, critical: false),
                .init(oid: CertificateExtension.basicConstraints, critical: true),
            ])
        #expect(KeyIdentifierRule().failures(in: review([leaf, caWithoutSKI, root])).map(\.depth) == [1])
        let criticalAKI = certificate(
            "CN=db1", issuer: "CN=Root",
            extensions: [
                .init(oid: CertificateExtension.authorityKeyIdentifier, critical: true)
            ])
        #expect(KeyIdentifierRule().failures(in: review([criticalAKI, root])).count == 1)
        let crossSignedAnchor = certificate(
            "CN=Root", issuer: "CN=Other Root", isCA: true,
            extensions: [
                .init(oid: CertificateExtension.subjectKeyIdentifier, critical: false),
                .init(oid: CertificateExtension.basicConstraints, critical: true),
            ])
        #expect(KeyIdentifierRule().failures(in: review([leaf, crossSignedAnchor])).isEmpty)
    }

    @Test("extensions are critical where RFC 5280 says so")
    func criticalityFollowsRFC5280() {
        let softCA = certificate(
            "CN=Issuing", issuer: "CN=Root", isCA: true,
            extensions: [
                .init(oid: CertificateExtension.basicConstraints, critical: false)
            ])
        #expect(ExtensionCriticalityRule().failures(in: review([leaf, softCA, root])).map(\.depth) == [1])
        let criticalAIA = certificate(
            "CN=db1", issuer: "CN=Root",
            extensions: [
                .init(oid: CertificateExtension.authorityInfoAccess, critical: true)
            ])
        #expect(ExtensionCriticalityRule().failures(in: review([criticalAIA, root])).count == 1)
        let emptySubject = certificate(
            "", issuer: "CN=Root",
            extensions: [
                .init(oid: CertificateExtension.subjectAltName, critical: false)
            ])
        #expect(ExtensionCriticalityRule().failures(in: review([emptySubject, root])).count == 1)
    }

    @Test(
        "each certificate fits its role: an issuer is a CA, and a leaf neither signs certificates nor carries name constraints nor lacks an EKU"
    )
    func rolesAreChecked() {
        #expect(CertificateRoleRule().failures(in: review([leaf, certificate("CN=Root")])).map(\.reason) == [.notCA])
        let signingLeaf = certificate("CN=db1", issuer: "CN=Root", keyUsage: [.digitalSignature, .keyCertSign])
        #expect(CertificateRoleRule().failures(in: review([signingLeaf, root])).map(\.reason) == [.malformed])
        let constrainedLeaf = certificate(
            "CN=db1", issuer: "CN=Root",
            extensions: [
                .init(oid: CertificateExtension.nameConstraints, critical: true)
            ])
        #expect(CertificateRoleRule().failures(in: review([constrainedLeaf, root])).count == 1)
        #expect(
            CertificateRoleRule().failures(in: review([certificate("CN=db1", issuer: "CN=Root", eku: []), root])).count
                == 1)
    }

    @Test("names must be well formed")
    func namesMustBeWellFormed() {
        for name: SubjectAlternativeName in [
            .dns("db_1.example.com"), .dns(".example.com"), .email("a@b@example.com"), .other(tag: 7),
        ] {
            let odd = certificate("CN=db1", issuer: "CN=Root", sans: [name])
            #expect(SubjectAltNameRule().failures(in: review([odd, root])).count == 1, "\(name)")
        }
        let fine = certificate(
            "CN=db1", issuer: "CN=Root", sans: [.dns("*.db.example.com"), .email("ops@example.com")])
        #expect(SubjectAltNameRule().failures(in: review([fine, root])).isEmpty)
    }

    @Test("names must be encoded as their string type says")
    func namesMustBeEncodedAsTheirTypeSays() {
        var badUTF8 = certificate("CN=db1", issuer: "CN=Root")
        badUTF8.der = shapedDER(subject: [0x64, 0x62, 0xff, 0xfe], issuer: Array("Root".utf8))
        #expect(NameEncodingRule().failures(in: review([badUTF8, root])).map(\.reason) == [.malformed])
        var nul = certificate("CN=db1", issuer: "CN=Root")
        nul.der = shapedDER(subject: Array("db1".utf8), issuer: Array("Ro\u{0}ot".utf8))
        #expect(NameEncodingRule().failures(in: review([nul, root])).count == 1)
        var unreadable = certificate("CN=db1", issuer: "CN=Root")
        unreadable.der = [0x30, 0x03, 0x02]
        #expect(NameEncodingRule().failures(in: review([unreadable, root])).count == 1)
        var badRoot = root
        badRoot.der = shapedDER(subject: [0xff], issuer: [0xff])
        #expect(NameEncodingRule().failures(in: review([leaf, badRoot])).isEmpty)  // a trust anchor is exempt
        #expect(NameEncodingRule().failures(in: review([leaf, badRoot], anchored: false)).count == 1)
        #expect(NameEncodingRule().failures(in: review([leaf, issuing, root])).isEmpty)
    }

    @Test("a TLS leaf must be able to sign or encipher")
    func aTLSLeafMustBeAbleToSignOrEncipher() {
        let certSignOnly = certificate("CN=db1", issuer: "CN=Root", keyUsage: [.keyCertSign])
        #expect(TLSKeyUsageRule().failures(in: review([certSignOnly, root])).map(\.reason) == [.purposeMismatch])
        #expect(TLSKeyUsageRule().failures(in: review([certSignOnly, root], purpose: nil)).isEmpty)
        #expect(TLSKeyUsageRule().failures(in: review([leaf, root])).isEmpty)
    }

    @Test("a self-issued intermediate (a rolled-over CA) does not count against the intermediate limit")
    func selfIssuedIntermediatesCountOnce() {
        let rolled = certificate("CN=Issuing", issuer: "CN=Issuing", isCA: true)
        #expect(
            IntermediateCountRule().failures(in: review([leaf, rolled, issuing, root], maxIntermediates: 1)).isEmpty)
        #expect(
            IntermediateCountRule().failures(in: review([leaf, issuing, root], maxIntermediates: 0)).map(\.reason)
                == [.pathLengthExceeded])
    }

    @Test("a CRL without a number is not used")
    func aCRLWithoutANumberIsNotUsed() {
        let crl = CRLInfo(
            der: [], issuer: "CN=Root", thisUpdate: Date(), nextUpdate: nil, crlNumber: nil, revoked: [],
            signatureAlgorithmOID: "1.2.840.10045.4.3.2")
        #expect(CRLNumberRule().failures(in: review([leaf, root], crls: [crl])).map(\.reason) == [.invalidCRL])
    }
}
