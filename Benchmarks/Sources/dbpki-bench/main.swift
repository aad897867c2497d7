// Times dbpki's engines in process and prints one `name engine microseconds-per-op` line
// per measurement, for scripts/bench to compare with `openssl speed`.
//   dbpki-bench [ITERATIONS]                 the measurements scripts/bench reports
//   dbpki-bench 1 --breakdown                PEM decoding, DER parsing and hashing apart
//   dbpki-bench 1 --profile-parse [gnutls]   200 parses and nothing else, to run under callgrind
import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL
import Dispatch
import Foundation

/// The median over `rounds` of the mean time per call of `body` over `iterations` calls, in µs.
func measure(iterations: Int, rounds: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var perRound = [Double]()
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { try body() }
        perRound.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations) / 1000)
    }
    return perRound.sorted()[rounds / 2]
}

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../..")
    .standardizedFileURL
func testdata(_ name: String) throws -> [UInt8] {
    try InputFile.read(repository.appendingPathComponent("testdata/chain/\(name)").path)
}

let leafPEM = try testdata("db1.example.com.crt")
let leaf = try CertificateDecoder.certificates(from: leafPEM)[0]
let intermediate = try CertificateDecoder.certificates(from: testdata("intermediate.crt"))[0]
let root = try CertificateDecoder.certificates(from: testdata("root.crt"))[0]
let request = VerificationRequest(
    leaf: leaf, intermediates: [intermediate], trustAnchors: [root],
    policy: VerificationPolicy(
        time: try RFC3339.parse("2030-01-01T00:00:00Z"), purpose: .server, peer: .dns("db1.example.com")))
let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 2000

if CommandLine.arguments.contains("--profile-parse") {
    let der = try CertificateDecoder.certificates(from: leafPEM)[0]
    let engine: any PKIBackend = CommandLine.arguments.contains("gnutls") ? GnuTLSBackend() : OpenSSLBackend()
    for _ in 0..<200 { _ = try engine.parseCertificate(der: der) }
    exit(0)
}
if CommandLine.arguments.contains("--breakdown") {
    let der = try CertificateDecoder.certificates(from: leafPEM)[0]
    print(
        "pem-decode core \(String(format: "%.2f", try measure(iterations: 5000) { _ = try CertificateDecoder.certificates(from: leafPEM) }))"
    )
    for backend in [OpenSSLBackend() as any PKIBackend, GnuTLSBackend()] {
        print(
            "parse-der \(backend.engine) \(String(format: "%.2f", try measure(iterations: 5000) { _ = try backend.parseCertificate(der: der) }))"
        )
        print(
            "sha256 \(backend.engine) \(String(format: "%.2f", try measure(iterations: 5000) { _ = try backend.digest(.sha256, der) }))"
        )
    }
    exit(0)
}

for backend in [OpenSSLBackend() as any PKIBackend, GnuTLSBackend()] {
    guard try backend.verify(request).isValid else { fatalError("\(backend.engine): the test chain does not verify") }
    let verify = try measure(iterations: iterations) { _ = try backend.verify(request) }
    print("verify-chain-3-host \(backend.engine) \(String(format: "%.2f", verify))")
    let parse = try measure(iterations: iterations * 5) {
        _ = try backend.parseCertificate(der: CertificateDecoder.certificates(from: leafPEM)[0])
    }
    print("parse-pem-certificate \(backend.engine) \(String(format: "%.2f", parse))")
}
