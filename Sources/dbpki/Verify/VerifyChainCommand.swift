import ArgumentParser
import DBPKI
import Foundation

struct VerifyChainCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Validate a certificate's path to trusted CAs, its name, time, purpose and revocation.",
        discussion: """
            The first certificate in LEAF is validated; further certificates in LEAF and in every --untrusted file \
            may be used as intermediates. Names match as RFC 6125 says: DNS names only against DNS SANs (never the \
            subject CN), a wildcard only as a whole left-most label, IP addresses only against IP SANs.

            With --backend both, OpenSSL and GnuTLS answer the same question under the same policy; the \
            certificate is valid only when both accept it, and any disagreement is reported on stderr.

            --profile webpki adds the Baseline Requirements' certificate profile that web PKI verifiers enforce, \
            each rule with its id in the reasons: webpki-key-identifiers, webpki-common-name, \
            webpki-extended-key-usage, webpki-algorithms (RSA >= 2048 in whole bytes or P-256/384/521; no DSA or \
            Ed25519), webpki-end-entity, webpki-wildcard-scope, webpki-authority-info-access; a non-critical \
            nameConstraints is then accepted. A certificate the engines cannot decode is invalid (malformed).

            --json prints one object, valid or not: valid, subject, fingerprint_sha256 (the leaf's), disagreement, \
            and engines (per engine: engine, valid, failures [{reason, message, depth}]).

            Examples:
              dbpki verify chain db1.crt --trust ca.crt --host db1.example.com
              dbpki verify chain db1.crt --trust ca.crt --ip 10.0.0.5 --at 2027-01-01T00:00:00Z --backend both
              dbpki verify chain client.crt --trust ca.crt --purpose client --crl ca.crl
              dbpki verify chain db1.crt --trust ca.crt --json | jq '.engines[].failures'

            """ + ExitStatus.help("verify chain")
    )

    @Argument(
        help: "The certificate to validate (PEM or DER); the first certificate in the file is the leaf.",
        completion: .file())
    var leaf: String

    @Option(help: "Trusted CA certificates (PEM or DER).", completion: .file())
    var trust: String

    @Option(help: "Untrusted intermediate certificates (PEM or DER); repeatable.", completion: .file())
    var untrusted: [String] = []

    @OptionGroup var name: PeerOptions

    @Option(help: "Validate at this RFC 3339 time instead of now (for example 2027-01-01T00:00:00Z).")
    var at: String?

    @Option(help: "What the certificate must be good for: server or client.")
    var purpose: VerificationPolicy.Purpose = .server

    @Option(help: "CRLs to check revocation against (PEM or DER); repeatable.", completion: .file())
    var crl: [String] = []

    @Option(help: "The most intermediate CAs a path may have, 0-64 (default 8).")
    var maxIntermediates: Int?

    @OptionGroup var profile: ProfileOption

    @Option(help: "The engine: openssl, gnutls, or both (valid only when both accept).")
    var backend: CrossCheckChoice = .openssl

    @OptionGroup var report: ReportOptions

    func check() throws {
        try name.check()
        try profile.check()
        let range = VerificationPolicy.maxIntermediatesRange
        if let maxIntermediates, !range.contains(maxIntermediates) {
            throw ValidationError("--max-intermediates must be \(range.lowerBound) to \(range.upperBound)")
        }
    }

    func run() throws {
        var policy = VerificationPolicy(purpose: purpose, maxIntermediates: maxIntermediates)
        if let at { policy.time = try RFC3339.parse(at) }
        policy.peer = name.peer
        let request = try ChainInput.request(
            leafPath: leaf, trustPath: trust, untrustedPaths: untrusted, crlPaths: crl, policy: policy)
        let engines = backend.makeBackends()
        let outcome = try ChainVerifier(engines: engines, rules: profile.value.rules).verify(request)
        // A leaf no engine decodes is still judged (malformed: invalid); it is then named by its file.
        let subject =
            (try? engines[0].parseCertificate(der: request.leaf).subject)
            ?? (try? CertificateFieldReader.read(der: request.leaf).subject) ?? "the certificate in \(leaf)"

        if report.json {
            let fingerprint = Hex.encode(try engines[0].digest(.sha256, request.leaf))
            print(try VerificationReport(subject: subject, fingerprintSHA256: fingerprint, outcome: outcome).jsonText())
        } else if outcome.isValid {
            report.say("valid: \(subject) (\(outcome.results.map(\.engine.name).joined(separator: "+")))")
        }
        for line in outcome.disagreementReport {
            CLIOutput.stderr("disagreement on \(subject): \(line)")
        }
        if !outcome.isValid {
            for result in outcome.results where !result.isValid {
                for failure in result.failures {
                    CLIOutput.stderr("invalid (\(result.engine)): \(failure)")
                }
            }
            throw ExitCode(1)
        }
    }
}

extension VerificationPolicy.Purpose: ExpressibleByArgument {}
