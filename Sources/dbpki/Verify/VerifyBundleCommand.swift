import ArgumentParser
import DBPKI
import Foundation

struct VerifyBundleCommand: ParsableCommand, CheckedCommand {
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
            its intermediates. A PKCS#12 truststore (truststore.p12 from 'bundle --java') is checked like a PEM \
            CA bundle: it must open with the password of --password-file (or of DBPKI_PASSWORD_FILE's file), \
            hold no private key, and only CA certificates valid at --at, each carrying Java's trust attribute \
            (without it Java loads nothing; read by OpenSSL, so with --backend gnutls alone it is not checked).

            --json prints one object, fit or not: path, fit_to_ship, problems (the unfit: lines), at (RFC 3339), \
            ca_certificates (subject, issuer, serial, not_after, fingerprint_sha256, as in 'dbpki list --json') \
            and client_certificates (entry names).

            Examples:
              dbpki verify bundle out/db1-crt.zip --server-cert pki/issued/db1.crt --host db1.example.com
              dbpki verify bundle out/MongoDB-CA.crt --at 2027-06-01T00:00:00Z --backend both
              dbpki verify bundle out/db1-crt.zip --json | jq -r '.problems[]'
              dbpki verify bundle out/truststore.p12 --password-file pass.txt --server-cert pki/issued/db1.crt

            """ + ExitStatus.help("verify bundle")
    )

    @Argument(
        help: "The download: a -crt.zip, a PEM file such as MongoDB-CA.crt, or a PKCS#12 truststore.",
        completion: .file())
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

    @OptionGroup(title: "PKCS#12 truststores") var pkcs12Password: PasswordFileOption

    @OptionGroup var output: ReportOptions

    func check() throws {
        try name.check()
        if name.peer != nil && serverCert == nil { throw ValidationError("--host and --ip need --server-cert") }
    }

    func run() throws {
        let time = try at.map(RFC3339.parse) ?? Date()
        // As with verify chain's LEAF: the first certificate is the server's, any further ones its intermediates.
        let server = try serverCert.map { try InputFile.decode($0, CertificateDecoder.certificates(from:)) } ?? []
        var verifier = BundleVerifier(engines: backend.makeBackends(), time: time)
        verifier.pkcs12Password = try pkcs12Password.password()
        let report = try verifier.check(
            path: path, serverCertificate: server.first, serverIntermediates: Array(server.dropFirst()),
            peer: name.peer)
        try output.emit {
            [
                "path": path, "fit_to_ship": report.isFitToShip, "problems": report.problems,
                "at": RFC3339.format(time), "client_certificates": report.clientCertificates,
                "ca_certificates": report.caCertificates.map { ca -> [String: Any] in
                    [
                        "subject": ca.subject, "issuer": ca.issuer, "serial": ca.serialHex,
                        "not_after": RFC3339.format(ca.notAfter), "fingerprint_sha256": ca.fingerprintHex,
                    ]
                },
            ]
        }
        guard report.isFitToShip else {
            for problem in report.problems { CLIOutput.stderr("unfit: \(problem)") }
            throw ExitCode(1)
        }
        let clients =
            report.clientCertificates.isEmpty
            ? "" : ", client certificate \(report.clientCertificates.joined(separator: ", "))"
        output.say(
            "fit to ship: \(path) (\(report.caCertificates.count) CA certificate\(report.caCertificates.count == 1 ? "" : "s")\(clients))"
        )
    }
}
