import ArgumentParser
import DBPKI
import Foundation

struct VerifyBundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Check a client download (-crt.zip or MongoDB-CA.crt) before it is uploaded or shipped.",
        discussion: """
            Fit to ship means: only PEM; every certificate a CA valid at --at, except a client certificate that \
            travels with its own key (NAME.crt beside NAME.key) and chains to the bundle's CAs; no other private key \
            (never a server's or a CA's); for a zip, only plain entries at its root (no folders, '..', absolute \
            paths, links or duplicates), none over 1 MiB and 10 MiB in all, checked before anything is inflated. \
            With --server-cert, that certificate must also validate against the bundle's CAs for --host or --ip; \
            as with verify chain's LEAF, the first certificate in the file is the server's and any further ones are \
            its intermediates.

            Exit status: 0 fit to ship, 1 unfit (one line per problem on stderr), 64 or more for usage or input \
            errors.

            Examples:
              dbpki verify bundle out/db1-crt.zip --server-cert pki/issued/db1.crt --host db1.example.com
              dbpki verify bundle out/MongoDB-CA.crt --at 2027-06-01T00:00:00Z --backend both
            """
    )

    @Argument(help: "The download: a -crt.zip or a PEM file such as MongoDB-CA.crt.", completion: .file())
    var path: String

    @Option(
        help:
            "Also validate this server certificate (PEM or DER) against the bundle's CAs; further certificates in the file are its intermediates.",
        completion: .file()
    )
    var serverCert: String?

    @OptionGroup var name: PeerOptions

    @Option(help: "Check validity at this RFC 3339 time instead of now.")
    var at: String?

    @Option(help: "The engine: openssl, gnutls, or both (fit only when both agree).")
    var backend: CrossCheckChoice = .openssl

    func validate() throws {
        if name.peer != nil && serverCert == nil { throw ValidationError("--host and --ip need --server-cert") }
    }

    func run() throws {
        let time = try at.map(RFC3339.parse) ?? Date()
        // As with verify chain's LEAF: the first certificate is the server's, any further ones its intermediates.
        let server = try serverCert.map { try InputFile.decode($0, CertificateDecoder.certificates(from:)) } ?? []
        let report = try BundleVerifier(engines: backend.makeBackends(), time: time)
            .check(
                path: path, serverCertificate: server.first, serverIntermediates: Array(server.dropFirst()),
                peer: name.peer)
        guard report.isFitToShip else {
            for problem in report.problems { CLIOutput.stderr("unfit: \(problem)") }
            throw ExitCode(1)
        }
        let clients =
            report.clientCertificates.isEmpty
            ? "" : ", client certificate \(report.clientCertificates.joined(separator: ", "))"
        print(
            "fit to ship: \(path) (\(report.caCertificates.count) CA certificate\(report.caCertificates.count == 1 ? "" : "s")\(clients))"
        )
    }
}
