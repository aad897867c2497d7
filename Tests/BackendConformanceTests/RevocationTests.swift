import DBPKI
import DBPKITestSupport
import Foundation
import Testing

@Suite("Revocation and CRLs through the store, on every engine")
struct RevocationTests {
    @Test(
        "each CA's CRL lists the revoked serials it issued, numbered upwards; verification then rejects them",
        arguments: EngineUnderTest.all)
    func crlPerCA(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let store = try PKIStore(
            pki.directory, backend: engine.backend, clock: { TestPKI.now }, options: .init(create: true))
        let oldCA = try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 3650)
        let onOld = try store.issue(name: "a", profile: .client(name: "a"), keyType: .ecdsaP256)
        try store.issue(name: "b", profile: .client(name: "b"), keyType: .ecdsaP256)
        let (newCA, _) = try store.rolloverCA()
        let onNew = try store.issue(name: "c", profile: .client(name: "c"), keyType: .ecdsaP256)

        try store.revoke(name: "a", reason: .unspecified)
        try store.revoke(serial: onNew.serialHex.uppercased(), reason: .unspecified)
        #expect(throws: PKIError.self) { try store.revoke(name: "a", reason: .keyCompromise) }

        let current = try store.makeCRL()
        #expect(current.info.issuer == newCA.subject && current.number == 1)
        #expect(current.info.revoked.map(\.serialHex) == [onNew.serialHex])
        #expect(current.info.nextUpdate == TestPKI.now.addingTimeInterval(30 * TestPKI.day))
        let old = try store.makeCRL(old: true, days: 7)
        #expect(old.info.issuer == oldCA.subject && old.info.revoked.map(\.serialHex) == [onOld.serialHex])
        #expect(try store.makeCRL().number == 2)

        let crlDER = try CertificateDecoder.crls(from: Array(old.pem.utf8))
        let request = VerificationRequest(
            leaf: onOld.der, trustAnchors: [oldCA.der], crls: crlDER,
            policy: VerificationPolicy(time: TestPKI.now.addingTimeInterval(60), purpose: .client))
        #expect(try !engine.backend.verify(request).isValid)
        let b = try store.checkedIssued("b", key: false).certificates[0]
        var fine = request
        fine.leaf = b
        #expect(try engine.backend.verify(fine).isValid)
    }

    @Test(
        "reasons go into the CRL on OpenSSL; GnuTLS refuses them unless they are left out",
        arguments: EngineUnderTest.all)
    func reasons(engine: EngineUnderTest) throws {
        let pki = try TemporaryPKI()
        let store = try PKIStore(
            pki.directory, backend: engine.backend, clock: { TestPKI.now }, options: .init(create: true))
        try store.createCA(name: "Test CA", keyType: .ecdsaP256, days: 3650)
        try store.issue(name: "a", profile: .client(name: "a"), keyType: .ecdsaP256)
        try store.revoke(name: "a", reason: try RevocationReason.parse("KEYCOMPROMISE"))
        if engine.backend.engine.name == "gnutls" {
            let error = #expect(throws: PKIError.self) { try store.makeCRL() }
            #expect(error?.code == .unsupported && error?.remedy?.action == .omitCRLReasons)
        } else {
            #expect(try store.makeCRL().info.revoked.map(\.reason) == [.keyCompromise])
        }
        let plain = try store.makeCRL(includeReasons: false)
        #expect(plain.info.revoked.map(\.reason) == [nil])
        #expect(plain.number == (engine.backend.engine.name == "gnutls" ? 1 : 2))
        #expect(throws: PKIError.self) { try RevocationReason.parse("certificateHold") }
    }
}
