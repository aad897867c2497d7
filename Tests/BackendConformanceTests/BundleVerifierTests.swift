import DBPKI
import DBPKITestSupport
import Foundation
import Testing
import ZIPFoundation

extension ScratchFolder {
    /// Writes a zip of `entries` (name, type, bytes) and returns its path.
    fileprivate func zip(_ name: String, _ entries: [(String, Entry.EntryType, [UInt8])]) throws -> String {
        let archive = try Archive(accessMode: .create)
        for (entry, type, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(
                with: entry, type: type, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { data.subdata(in: Int($0)..<(Int($0) + $1)) }
        }
        return try write(name, [UInt8](archive.data!))
    }
}

private func pem(_ label: String, _ der: [UInt8]) -> [UInt8] { Array(PEM.encode(label: label, der: der).utf8) }

@Suite("verify bundle: what may be shipped to clients")
struct BundleVerifierTests {
    let at = TestPKI.now.addingTimeInterval(3600)

    func verifier(_ engine: EngineUnderTest) -> BundleVerifier { BundleVerifier(engines: [engine.backend], time: at) }

    @Test("a CA file and a client zip with its own key are fit to ship", arguments: EngineUnderTest.all)
    func goodBundlesAreFit(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let client = try pki.issue(.client(name: "app"), by: root)
        let folder = try ScratchFolder()
        let caFile = try folder.write("MongoDB-CA.crt", pem("CERTIFICATE", root.der))
        #expect(try verifier(engine).check(path: caFile).problems == [])
        let zip = try folder.zip(
            "db1-crt.zip",
            [
                ("ca.crt", .file, pem("CERTIFICATE", root.der)), ("app.crt", .file, pem("CERTIFICATE", client.der)),
                ("app.key", .file, pem("PRIVATE KEY", client.key.pkcs8DER)),
            ])
        let report = try verifier(engine).check(path: zip)
        #expect(report.problems == [])
        #expect(report.clientCertificates == ["app.crt"])
    }

    @Test("server and CA keys, leaves and other blocks make a bundle unfit", arguments: EngineUnderTest.all)
    func secretsAndLeavesAreProblems(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let server = try pki.issue(.server(name: "db1", dns: ["db1.example.com"], ips: []), by: root)
        let folder = try ScratchFolder()
        let cases: [([UInt8], String)] = [
            (pem("CERTIFICATE", root.der) + pem("PRIVATE KEY", root.key.pkcs8DER), "private key of the CA"),
            (
                pem("CERTIFICATE", root.der) + pem("CERTIFICATE", server.der) + pem("PRIVATE KEY", server.key.pkcs8DER),
                "private key of the server certificate"
            ),
            (pem("CERTIFICATE", root.der) + pem("CERTIFICATE", server.der), "is not a CA certificate"),
            (pem("CERTIFICATE", root.der) + pem("X509 CRL", [0x30, 0x00]), "where only certificates belong"),
            (Array("hello".utf8), "not PEM"),
            (pem("PRIVATE KEY", root.key.pkcs8DER), "no CA certificate"),
        ]
        for (index, (bytes, problem)) in cases.enumerated() {
            let report = try verifier(engine).check(path: try folder.write("case\(index).crt", bytes))
            #expect(report.problems.contains { $0.contains(problem) }, "case \(index): \(report.problems)")
        }
    }

    @Test("hostile zip entries are refused before anything is inflated", arguments: EngineUnderTest.all)
    func hostileZipsAreUnfit(engine: EngineUnderTest) throws {
        let root = try TestPKI(engine).root()
        let ca = pem("CERTIFICATE", root.der)
        let folder = try ScratchFolder()
        let cases: [([(String, Entry.EntryType, [UInt8])], String)] = [
            ([("ca.crt", .file, ca), ("certs/", .directory, [])], "is a folder"),
            ([("ca.crt", .file, ca), ("../ca.crt", .file, ca)], "contains '..'"),
            ([("ca.crt", .file, ca), ("/etc/ca.crt", .file, ca)], "absolute path"),
            ([("ca.crt", .file, ca), ("ca.crt", .file, ca)], "duplicate entry"),
            (
                [("ca.crt", .file, ca), ("big.crt", .file, [UInt8](repeating: 0x41, count: (1 << 20) + 1))],
                "larger than 1 MiB"
            ),
            (
                [("ca.crt", .file, ca)]
                    + (0..<11).map { ("zero\($0).crt", .file, [UInt8](repeating: 0, count: 1 << 20)) },
                "larger than 10 MiB"
            ),
        ]
        for (index, (entries, problem)) in cases.enumerated() {
            let report = try verifier(engine).check(path: try folder.zip("case\(index)-crt.zip", entries))
            #expect(report.problems.contains { $0.contains(problem) }, "case \(index): \(report.problems)")
        }
        let corrupt = try verifier(engine).check(
            path: try folder.write("corrupt-crt.zip", [0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))
        #expect(corrupt.problems.contains { $0.contains("not a readable zip") }, "\(corrupt.problems)")
    }

    @Test("CAs must be valid at the given time", arguments: EngineUnderTest.all)
    func expiredCAsAreUnfit(engine: EngineUnderTest) throws {
        let root = try TestPKI(engine).root()
        let folder = try ScratchFolder()
        let file = try folder.write("MongoDB-CA.crt", pem("CERTIFICATE", root.der))
        let late = BundleVerifier(engines: [engine.backend], time: root.info.notAfter.addingTimeInterval(1))
        #expect(try late.check(path: file).problems.contains { $0.contains("expired") })
        // Validity is judged in whole seconds, as verify chain judges it.
        let lastSecond = BundleVerifier(engines: [engine.backend], time: root.info.notAfter.addingTimeInterval(0.5))
        #expect(try lastSecond.check(path: file).problems == [])
    }

    @Test("a server certificate is checked against the bundle's CAs on both engines")
    func serverCertificateIsCrossChecked() throws {
        let pki = TestPKI(EngineUnderTest.all[0])
        let root = try pki.root()
        let server = try pki.issue(.server(name: "db1", dns: ["db1.example.com"], ips: []), by: root)
        let folder = try ScratchFolder()
        let file = try folder.write("MongoDB-CA.crt", pem("CERTIFICATE", root.der))
        let both = BundleVerifier(engines: EngineUnderTest.all.map(\.backend), time: at)
        #expect(try both.check(path: file, serverCertificate: server.der, peer: .dns("db1.example.com")).problems == [])
        let wrong = try both.check(path: file, serverCertificate: server.der, peer: .dns("db2.example.com")).problems
        #expect(wrong.filter { $0.contains("hostname-mismatch") }.count == 2, "\(wrong)")
        let stranger = try pki.root("Stranger")
        let other = try folder.write("Other-CA.crt", pem("CERTIFICATE", stranger.der))
        #expect(
            try both.check(path: other, serverCertificate: server.der).problems.contains { $0.contains("untrusted") })
    }

    @Test(
        "a PKCS#12 truststore is checked like a CA file; without Java's trust attribute it is unfit where an engine reads it",
        arguments: EngineUnderTest.all)
    func truststores(engine: EngineUnderTest) throws {
        let pki = TestPKI(engine)
        let root = try pki.root()
        let client = try pki.issue(.client(name: "app"), by: root)
        let folder = try ScratchFolder()
        let good = try folder.write(
            "truststore.p12",
            try engine.backend.createPKCS12(.truststore([("ca", root.der)], protection: .aes256), password: "pw"))
        var checker = verifier(engine)
        checker.pkcs12Password = "pw"
        #expect(try checker.check(path: good).problems == [])
        #expect(try verifier(engine).check(path: good).problems.first?.contains("needs a password") == true)
        // What `openssl pkcs12 -export -nokeys` writes: certificate bags without the attribute.
        let plain = try folder.write(
            "plain.p12",
            try engine.backend.createPKCS12(
                PKCS12Contents(key: nil, certificates: [.init(der: root.der, friendlyName: "ca")], protection: .aes256),
                password: "pw"))
        let bothEngines = BundleVerifier(engines: EngineUnderTest.all.map(\.backend), time: at)
        var both = bothEngines
        both.pkcs12Password = "pw"
        #expect(try both.check(path: plain).problems.contains { $0.contains("lacks Java's trust attribute") })
        let readsTrust = engine.backend.capabilities.contains(.pkcs12TrustAttributes)
        #expect(try checker.check(path: plain).problems.isEmpty == !readsTrust)
        let keystore = try folder.write(
            "app.p12",
            try engine.backend.createPKCS12(
                try .keystore(
                    name: "app", key: client.key, chain: [client.der, root.der], localKeyID: [1],
                    protection: .aes256),
                password: "pw"))
        let problems = try checker.check(path: keystore).problems
        #expect(problems.contains("app.p12: a private key in a truststore"))
        #expect(problems.contains("app.p12: CN=app is not a CA certificate"))
    }
}
