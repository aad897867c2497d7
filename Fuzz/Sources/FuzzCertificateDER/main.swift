import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL

let engines: [any PKIBackend] = [OpenSSLBackend(), GnuTLSBackend()]

/// DER certificates and CRLs through both engines' parsers, and a self-verification of
/// whatever parses, and the subject as mongod derives it (dbpki's own DER walk): errors are
/// fine, crashes and leaks are not.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: count))
    _ = try? MongoDBSubject(certificate: bytes).userName
    for engine in engines {
        if (try? engine.parseCertificate(der: bytes)) != nil {
            _ = try? ChainVerifier(engines: [engine]).verify(
                VerificationRequest(
                    leaf: bytes, trustAnchors: [bytes], policy: VerificationPolicy(peer: .dns("a.example"))))
        }
        _ = try? engine.parseCRL(der: bytes)
    }
    return 0
}
