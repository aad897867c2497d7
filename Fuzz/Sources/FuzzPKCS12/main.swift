import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL

let engines: [any PKIBackend] = [OpenSSLBackend(), GnuTLSBackend()]

/// PKCS#12 files: the core's look before any engine (MAC present, iteration caps), then both
/// engines' reading with the seeds' password, key included, behind that check as dbpki reads
/// them (``PKCS12Contents/init(der:password:includeKey:using:)``).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: count))
    _ = PKCS12Outline.looksLikePKCS12(bytes)
    guard (try? PKCS12Outline.check(bytes)) != nil else { return 0 }
    for engine in engines {
        _ = try? PKCS12Contents(der: bytes, password: "fuzzing", includeKey: true, using: engine)
    }
    return 0
}
