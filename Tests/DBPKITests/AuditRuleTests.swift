import DBPKI
import Foundation
import Testing

/// Certificates described field by field, so each rule is tested on exactly the property it judges.
enum AuditSample {
    static let at: Double = 1_780_315_200  // 2026-06-01T12:00:00Z
    static let day: TimeInterval = 86_400

    static func fields(
        subject: String = "CN=db1", issuer: String = "CN=CA", serial: [UInt8]? = nil, days: Double = 90,
        validFor: Double = 365, key: PublicKeyDescription = KeyType.ecdsaP256.publicKeyDescription,
        signature: String = "1.2.840.10045.4.3.2", sans: [SubjectAlternativeName] = [.dns("db1.example.com")],
        isCA: Bool = false, keyUsage: KeyUsage? = [.digitalSignature],
        eku: [String]? = [ExtendedKeyUsage.serverAuth], ski: [UInt8]? = nil, aki: [UInt8]? = nil
    ) -> CertificateFields {
        let notAfter = Date(timeIntervalSince1970: at + days * day)
        return CertificateFields(
            version: 3, subject: subject, issuer: issuer,
            serialNumber: serial ?? (0..<8).map { _ in UInt8.random(in: 1...255) },
            notBefore: notAfter.addingTimeInterval(-validFor * day), notAfter: notAfter, publicKey: key,
            signatureAlgorithmOID: signature, subjectAlternativeNames: sans, isCA: isCA,
            pathLengthConstraint: nil, keyUsage: keyUsage, extendedKeyUsage: eku, subjectKeyIdentifier: ski,
            authorityKeyIdentifier: aki, extensions: [])
    }

    static func ca(subject: String = "CN=CA", days: Double = 3000, ski: [UInt8]? = nil) -> CertificateFields {
        fields(
            subject: subject, issuer: subject, days: days, validFor: 7300, sans: [], isCA: true,
            keyUsage: [.keyCertSign, .cRLSign], eku: nil, ski: ski)
    }

    static func certificate(_ fields: CertificateFields, _ tag: UInt8 = 0, at location: String = "x.crt")
        -> AuditedCertificate
    {
        AuditedCertificate(fields: fields, fingerprint: [UInt8](repeating: tag, count: 32), locations: [location])
    }

    static func codes(_ fields: [CertificateFields], maxLeafDays: Int = 825) -> [[String]] {
        let certificates = fields.enumerated().map { certificate($0.element, UInt8($0.offset)) }
        let context = AuditContext(at: at, maxLeafDays: maxLeafDays)
        return certificates.indices.map { index in
            AuditRules.all.filter { $0.flagged(certificates, context: context).contains(index) }.map(\.code)
        }
    }
}

@Suite("Each compliance rule flags what it names and nothing else")
struct AuditRuleTests {
    typealias S = AuditSample

    @Test("a sound server certificate and CA have no findings")
    func clean() {
        #expect(S.codes([S.fields(), S.ca()]) == [[], []])
    }

    @Test(
        "weak-key: RSA below 2048, EC below P-256, DSA",
        arguments: [
            (PublicKeyDescription(algorithm: .rsa, bits: 1024, curve: nil), true),
            (PublicKeyDescription(algorithm: .rsa, bits: 2047, curve: nil), true),
            (PublicKeyDescription(algorithm: .rsa, bits: 2048, curve: nil), false),
            (PublicKeyDescription(algorithm: .ec, bits: 224, curve: "P-224"), true),
            (PublicKeyDescription(algorithm: .ec, bits: 256, curve: "P-256"), false),
            (PublicKeyDescription(algorithm: .dsa, bits: 2048, curve: nil), true),
            (PublicKeyDescription(algorithm: .ed25519, bits: 256, curve: nil), false),
        ])
    func weakKey(key: PublicKeyDescription, weak: Bool) {
        #expect(S.codes([S.fields(key: key)])[0] == (weak ? ["weak-key"] : []))
    }

    @Test("sha1-signature and md5-signature by signature OID")
    func signatures() {
        #expect(S.codes([S.fields(signature: "1.2.840.113549.1.1.5")])[0] == ["sha1-signature"])
        #expect(S.codes([S.fields(signature: "1.2.840.10045.4.1")])[0] == ["sha1-signature"])
        #expect(S.codes([S.fields(signature: "1.2.840.113549.1.1.4")])[0] == ["md5-signature"])
        #expect(S.codes([S.fields(signature: "1.2.840.113549.1.1.11")])[0] == [])
    }

    @Test("missing-san: server certificates only (not CAs, not client-only), DNS or IP counts")
    func missingSAN() {
        #expect(S.codes([S.fields(sans: [])])[0] == ["missing-san"])
        #expect(S.codes([S.fields(sans: [], eku: nil)])[0] == ["missing-san"])
        #expect(S.codes([S.fields(sans: [.email("a@example.com")])])[0] == ["missing-san"])
        #expect(S.codes([S.fields(sans: [.ip(IPAddress("10.0.0.1")!)])])[0] == [])
        #expect(S.codes([S.fields(sans: [], eku: [ExtendedKeyUsage.clientAuth])])[0] == [])
        #expect(
            S.codes([S.fields(sans: [], eku: [ExtendedKeyUsage.clientAuth, ExtendedKeyUsage.serverAuth])])[0] == [
                "missing-san"
            ])
        #expect(S.codes([S.ca()])[0] == [])
    }

    @Test("validity-too-long: leaves past --max-leaf-days whole days; CAs exempt")
    func validity() {
        #expect(S.codes([S.fields(validFor: 825)])[0] == [])
        #expect(S.codes([S.fields(validFor: 825 + 0.5)])[0] == [])  // back-dated notBefore
        #expect(S.codes([S.fields(validFor: 826)])[0] == ["validity-too-long"])
        #expect(S.codes([S.fields(validFor: 398)], maxLeafDays: 397)[0] == ["validity-too-long"])
        #expect(S.codes([S.ca()], maxLeafDays: 30)[0] == [])
    }

    @Test("not-yet-valid: notBefore after the audit time")
    func notYetValid() {
        #expect(S.codes([S.fields(days: 400, validFor: 365)])[0] == ["not-yet-valid"])
        #expect(S.codes([S.fields(days: 365, validFor: 365)])[0] == [])
    }

    @Test("ca-without-keycertsign: a CA whose keyUsage lacks keyCertSign or is absent")
    func caKeyUsage() {
        var ca = S.ca()
        ca.keyUsage = [.cRLSign, .digitalSignature]
        var noUsage = S.ca()
        noUsage.keyUsage = nil
        #expect(S.codes([ca, noUsage]) == [["ca-without-keycertsign"], ["ca-without-keycertsign"]])
    }

    @Test("outlives-issuer: a leaf past its issuer among the inputs, told apart by key identifier")
    func outlivesIssuer() {
        let old = S.ca(subject: "CN=CA", days: 100, ski: [1])
        let new = S.ca(subject: "CN=CA", days: 3000, ski: [2])
        let underOld = S.fields(subject: "CN=a", days: 200, aki: [1])
        let underNew = S.fields(subject: "CN=b", days: 200, aki: [2])
        let noKeyID = S.fields(subject: "CN=c", days: 200)
        let orphan = S.fields(subject: "CN=d", issuer: "CN=Elsewhere", days: 5000, validFor: 6000)
        let codes = S.codes([old, new, underOld, underNew, noKeyID, orphan])
        #expect(codes[2] == ["outlives-issuer"])
        #expect(codes[3] == [])
        #expect(codes[4] == [])  // within the later of the two same-named CAs
        #expect(!codes[5].contains("outlives-issuer"))  // issuer not among the inputs
        #expect(S.codes([S.ca(days: 100), S.fields(days: 101)])[1] == ["outlives-issuer"])
    }

    @Test("outlives-issuer: an intermediate CA past its root is flagged, and so is a leaf past its intermediate")
    func intermediateOutlivesIssuer() {
        let root = S.ca(subject: "CN=Root", days: 100, ski: [1])
        let intermediate = S.fields(
            subject: "CN=Issuing", issuer: "CN=Root", days: 200, validFor: 3650, sans: [], isCA: true,
            keyUsage: [.keyCertSign, .cRLSign], eku: nil, ski: [2], aki: [1])
        let leaf = S.fields(subject: "CN=db1", issuer: "CN=Issuing", days: 300, aki: [2])
        let inside = S.fields(subject: "CN=db2", issuer: "CN=Issuing", days: 150, aki: [2])
        let codes = S.codes([root, intermediate, leaf, inside])
        #expect(codes[1] == ["outlives-issuer"])
        #expect(codes[2] == ["outlives-issuer"])
        #expect(codes[3] == [])
    }

    @Test("duplicate-serial: different certificates with one issuer and serial")
    func duplicateSerial() {
        let codes = S.codes([
            S.fields(subject: "CN=a", serial: [7]), S.fields(subject: "CN=b", serial: [7]),
            S.fields(subject: "CN=c", issuer: "CN=Other", serial: [7]), S.fields(subject: "CN=d", serial: [8]),
        ])
        #expect(codes == [["duplicate-serial"], ["duplicate-serial"], [], []])
    }

    @Test("every rule has a distinct code and a help line")
    func codesAreDistinct() {
        #expect(Set(AuditRules.codes).count == AuditRules.all.count)
        #expect(AuditRules.all.allSatisfy { !$0.summary.isEmpty })
        #expect(
            AuditRules.codes == [
                "weak-key", "sha1-signature", "md5-signature", "missing-san", "validity-too-long", "outlives-issuer",
                "not-yet-valid", "ca-without-keycertsign", "duplicate-serial",
            ])
    }
}
