// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "dbpki",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dbpki", targets: ["dbpki"]),
        .library(name: "DBPKI", targets: ["DBPKI"]),
        .library(name: "DBPKIOpenSSL", targets: ["DBPKIOpenSSL"]),
        .library(name: "DBPKIGnuTLS", targets: ["DBPKIGnuTLS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries, reached only from their own backend target.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CGnuTLS",
            pkgConfig: "gnutls",
            providers: [.apt(["libgnutls28-dev"])]
        ),
        .target(
            name: "CGnuTLSShims",
            dependencies: ["CGnuTLS"]
        ),

        // The pure Swift core: policy, value types, the PKIBackend protocol.
        // GRDB keeps the issuance inventory (PKI/inventory.sqlite) over the system SQLite.
        .target(
            name: "DBPKI",
            dependencies: ["ZIPFoundation", .product(name: "GRDB", package: "GRDB.swift")]
        ),

        // One engine each.
        .target(name: "DBPKIOpenSSL", dependencies: ["DBPKI", "COpenSSL"]),
        .target(name: "DBPKIGnuTLS", dependencies: ["DBPKI", "CGnuTLS", "CGnuTLSShims"]),

        // The command-line tool.
        .executableTarget(
            name: "dbpki",
            dependencies: [
                "DBPKI", "DBPKIOpenSSL", "DBPKIGnuTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // What every test target builds on: the engines under test, a test PKI built in code, a
        // test clock, scratch folders, testdata/ and one process runner whose timeout fires.
        .target(
            name: "DBPKITestSupport",
            dependencies: ["DBPKI", "DBPKIOpenSSL", "DBPKIGnuTLS"],
            path: "Tests/DBPKITestSupport"
        ),
        // The core's logic, with no engine.
        .testTarget(
            name: "DBPKITests",
            dependencies: ["DBPKI", "DBPKITestSupport", "ZIPFoundation"]
        ),
        // The same tests run on each engine and each pair of engines, and the x509-limbo suite.
        .testTarget(
            name: "BackendConformanceTests",
            dependencies: ["DBPKI", "DBPKIOpenSSL", "DBPKIGnuTLS", "DBPKITestSupport", "ZIPFoundation"]
        ),
        // What one engine does that the other does not (its library, its own rules).
        .testTarget(
            name: "EngineSpecificTests",
            dependencies: ["DBPKI", "DBPKIOpenSSL", "DBPKIGnuTLS", "DBPKITestSupport"]
        ),
        // The built binary, run as a user runs it.
        .testTarget(name: "dbpkiCLITests", dependencies: ["dbpki", "DBPKITestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
