import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL
import Foundation

let engines: [any PKIBackend] = [OpenSSLBackend(), GnuTLSBackend()]

/// testdata/chain: a CRL issued by its intermediate (the seeds have one) reaches the engines'
/// revocation checks and dbpki's CRL rules, not only the parsers.
let chain: (leaf: [UInt8], intermediate: [UInt8], root: [UInt8]) = {
    let folder = URL(fileURLWithPath: #filePath).appendingPathComponent("../../../../testdata/chain").standardized
    func certificate(_ name: String) -> [UInt8] {
        try! CertificateDecoder.certificates(from: [UInt8](Data(contentsOf: folder.appendingPathComponent(name))))[0]
    }
    return (certificate("db1.example.com.crt"), certificate("intermediate.crt"), certificate("root.crt"))
}()

/// DER CRLs through both engines' parsers, and through a verification of testdata's chain
/// with the CRL: errors and invalid verdicts are fine, crashes, leaks and hangs are not.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: count))
    var parsed = false
    for engine in engines where (try? engine.parseCRL(der: bytes)) != nil { parsed = true }
    if parsed {
        let request = VerificationRequest(
            leaf: chain.leaf, intermediates: [chain.intermediate], trustAnchors: [chain.root], crls: [bytes],
            policy: VerificationPolicy(
                time: Date(timeIntervalSince1970: 1_893_456_000), purpose: .server, peer: .dns("db1.example.com")))
        for engine in engines { _ = try? ChainVerifier(engines: [engine]).verify(request) }
    }
    return 0
}
