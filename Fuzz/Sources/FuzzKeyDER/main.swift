import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL

let engines: [any PKIBackend] = [OpenSSLBackend(), GnuTLSBackend()]

/// Private key import in the unencrypted formats on both engines. (Encrypted PKCS#8 is left
/// out: its iteration count comes from the input, so a hostile key is slow by design.)
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: count))
    for engine in engines {
        for format in [PrivateKeyFormat.pkcs8, .pkcs1, .sec1] {
            _ = try? engine.importPrivateKey(der: bytes, format: format, passphrase: nil)
        }
    }
    return 0
}
