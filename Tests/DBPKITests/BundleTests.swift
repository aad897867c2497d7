import DBPKITestSupport
import Foundation
import Testing
import ZIPFoundation

@testable import DBPKI

@Suite("Bundles and their configuration")
struct BundleTests {
    let ca = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"

    func redis(_ version: String, client: Bool = false, bind: String? = nil) throws -> RedisBundle {
        RedisBundle(
            name: "cache1", certificatePEM: "CERT", keyPEM: "KEY", trustedCAsPEM: ca,
            version: try RedisBundle.parseVersion(version), bindAddress: bind,
            client: client ? .init(name: "app", certificatePEM: "APPCERT", keyPEM: "APPKEY") : nil)
    }

    @Test("Redis 7 gets native TLS settings with absolute paths")
    func redis7WritesNativeTLSWithAbsolutePaths() throws {
        let conf = try redis("7.0").redisTLSConf(serverDirectory: "/srv/out dir/server")
        #expect(conf.contains("\nport 0\ntls-port 6379\n"))
        #expect(conf.contains("tls-cert-file \"/srv/out dir/server/cache1.crt\""))
        #expect(conf.contains("tls-auth-clients no"))
        #expect(try redis("6.0", client: true).redisTLSConf(serverDirectory: "/s").contains("tls-auth-clients yes"))
    }

    @Test("Redis 5 gets an stunnel proxy on port 6380")
    func redis5GetsAnStunnelProxyOn6380() throws {
        let bundle = try redis("5.0", client: true)
        #expect(!bundle.hasNativeTLS)
        let conf = try bundle.stunnelConf(serverDirectory: "/s")
        #expect(conf.contains("[redis]\naccept = 6380\nconnect = 127.0.0.1:6379\n"))
        #expect(conf.contains("requireCert = yes\nverifyChain = yes"))
        #expect(!conf.contains("\nverify ="))
        #expect(try redis("4.0").stunnelConf(serverDirectory: "/s").contains("requireCert") == false)
        #expect(try redis("5.0", bind: "::1").stunnelConf(serverDirectory: "/s").contains("accept = [::1]:6380"))
        let files = try bundle.files(outputDirectory: "/o").files.map(\.relativePath)
        #expect(
            files == [
                "cache1-crt.zip", "server/cache1.crt", "server/cache1.key", "server/ca.crt", "server/stunnel.conf",
            ])
    }

    @Test("old and unknown server versions are refused")
    func oldAndUnknownVersionsAreRefused() {
        for text in ["3.2", "2.8", "x", "", "7.", "6.1"] {
            #expect(throws: PKIError.self) { try RedisBundle.parseVersion(text) }
        }
        let error = #expect(throws: PKIError.self) { try MongoDBBundle.parseVersion("3.6") }
        #expect(error?.message.contains("4.0 or later") == true)
        #expect((try? MongoDBBundle.parseVersion("8.0")) == ServerVersion(8, 0))
    }

    @Test("mongod 4.0 gets the ssl options and 4.2 the tls ones")
    func mongod40UsesSSLAnd42UsesTLS() throws {
        func conf(_ version: String) throws -> String {
            MongoDBBundle(
                name: "db1", certificateChainPEM: "C", keyPEM: "K", trustedCAsPEM: ca,
                version: try MongoDBBundle.parseVersion(version)
            ).mongodConf(serverDirectory: "/o/server")
        }
        #expect(try conf("4.0").contains("  ssl:\n    mode: requireSSL\n    PEMKeyFile: \"/o/server/db1.pem\""))
        #expect(try conf("4.2").contains("  tls:\n    mode: requireTLS\n    certificateKeyFile: \"/o/server/db1.pem\""))
        #expect(try conf("7.0").contains("allowConnectionsWithoutCertificates: true"))
    }

    @Test("the client zip is deterministic and flat")
    func theClientZipIsDeterministicAndFlat() throws {
        let bundle = try redis("7.0", client: true)
        let first = try bundle.files(outputDirectory: "/o").files[0]
        let second = try bundle.files(outputDirectory: "/o").files[0]
        #expect(first.contents == second.contents)
        #expect(first.mode == 0o600)
        let contents = try ZipReader.read(first.contents)
        #expect(contents.problems.isEmpty)
        #expect(contents.files.map(\.name) == ["ca.crt", "app.crt", "app.key"])
        #expect(contents.files.last?.mode == 0o600)
        #expect(try redis("7.0").files(outputDirectory: "/o").files[0].mode == 0o644)
    }

    func zip(_ entries: [(String, Entry.EntryType, [UInt8])]) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        for (path, type, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(
                with: path, type: type, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) {
                data.subdata(in: Int($0)..<(Int($0) + $1))
            }
        }
        return [UInt8](archive.data!)
    }

    @Test("hostile zip entries are problems, not files")
    func hostileZipEntriesAreProblemsNotFiles() throws {
        let bytes = try zip([
            ("ca.crt", .file, Array(ca.utf8)),
            ("dir/", .directory, []),
            ("dir/x.crt", .file, [1]),
            ("../evil.crt", .file, [1]),
            ("/etc/passwd", .file, [1]),
            ("ca.crt", .file, [2]),
            ("big.crt", .file, [UInt8](repeating: 0, count: (1 << 20) + 1)),
        ])
        let contents = try ZipReader.read(bytes)
        #expect(contents.files.map(\.name) == ["ca.crt"])
        #expect(contents.problems.count == 6, "\(contents.problems)")
        #expect(throws: PKIError.self) { try ZipReader.read([0x50, 0x4b, 0x03, 0x04, 0, 0]) }
    }

    @Test("a zip header seeking past the end is a problem, not a trap")
    func aHeaderSeekingPastTheEndIsAProblemNotATrap() throws {
        // Found by Fuzz/FuzzZip: ZIPFoundation's in-memory reader trapped on this archive.
        let path = TestData.path("zips/seek-past-end.zip")
        let bytes = try InputFile.read(path)
        if let contents = try? ZipReader.read(bytes) {
            #expect(contents.files.allSatisfy { $0.contents.count <= ZipReader.maximumEntrySize })
        }
    }
}

@Suite("Atomic files")
struct AtomicFileTests {
    @Test("keys are created private, and an existing file is kept unless overwriting is asked for")
    func keysAreCreatedPrivateAndExistingFilesAreKept() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.file("keys")
        try AtomicFile.makeDirectory(folder)
        let path = folder + "/k.key"
        try AtomicFile.write("secret", to: path, mode: AtomicFile.privateMode, overwrite: false)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let error = #expect(throws: PKIError.self) {
            try AtomicFile.write("other", to: path, mode: AtomicFile.privateMode, overwrite: false)
        }
        #expect(error?.code == .alreadyExists)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "secret")
        try AtomicFile.write("new", to: path, mode: AtomicFile.privateMode)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["k.key"])
    }

    @Test("DNS names are checked for their syntax")
    func dnsNamesAreChecked() {
        for good in ["db1.example.com", "db1", "*.db.example.com", "a-b.example.com.", "xn--bcher-kva.example"] {
            #expect(DNSName.isValid(good), "\(good)")
        }
        for bad in [
            "", "-a.example.com", "a..b", "*.com", "a.*.example.com", "bad name", "ex_ample.com", "db1.example.com/",
        ] {
            #expect(!DNSName.isValid(bad), "\(bad)")
        }
    }
}
