// swift-tools-version: 6.1
// libFuzzer targets for the parsers dbpki puts in front of the engines. Built and run by
// `bash scripts/fuzz`, with `--sanitize=fuzzer --sanitize=address`; not part of the tests.
import PackageDescription

let engines: [Target.Dependency] = [
    .product(name: "DBPKI", package: "dbpki"),
    .product(name: "DBPKIOpenSSL", package: "dbpki"),
    .product(name: "DBPKIGnuTLS", package: "dbpki"),
]

let package = Package(
    name: "dbpki-fuzz",
    dependencies: [.package(name: "dbpki", path: "..")],
    targets: [
        .executableTarget(name: "FuzzPEM", dependencies: [.product(name: "DBPKI", package: "dbpki")]),
        .executableTarget(name: "FuzzZip", dependencies: [.product(name: "DBPKI", package: "dbpki")]),
        .executableTarget(name: "FuzzTextInputs", dependencies: [.product(name: "DBPKI", package: "dbpki")]),
        .executableTarget(name: "FuzzCertificateDER", dependencies: engines),
        .executableTarget(name: "FuzzKeyDER", dependencies: engines),
        .executableTarget(name: "FuzzCRLDER", dependencies: engines),
        .executableTarget(name: "FuzzPKCS12", dependencies: engines),
    ],
    swiftLanguageModes: [.v6]
)
