// swift-tools-version: 6.1
// In-process timings of dbpki's engines; run through `bash scripts/bench`, which
// also measures `openssl speed` in the same run and prints the ratios.
import PackageDescription

let package = Package(
    name: "dbpki-benchmarks",
    dependencies: [.package(name: "dbpki", path: "..")],
    targets: [
        .executableTarget(
            name: "dbpki-bench",
            dependencies: [
                .product(name: "DBPKI", package: "dbpki"),
                .product(name: "DBPKIOpenSSL", package: "dbpki"),
                .product(name: "DBPKIGnuTLS", package: "dbpki"),
            ]
        ),
        // Writes the certificate corpus scripts/bench-audit times `dbpki audit` on.
        .executableTarget(
            name: "audit-corpus",
            dependencies: [
                .product(name: "DBPKI", package: "dbpki"),
                .product(name: "DBPKIOpenSSL", package: "dbpki"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
