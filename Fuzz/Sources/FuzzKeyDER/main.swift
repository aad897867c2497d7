import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL

let engines: [any PKIBackend] = [OpenSSLBackend(), GnuTLSBackend()]

/// Private key import in the unencrypted formats on both engines, and the core's reading of
/// an encrypted key's derivation cost. (Decrypting is left out: up to the core's cap of
/// 2,000,000 iterations a key may be slow by design, which would only slow the fuzzer.)
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: count))
    _ = try? EncryptedKeyCost.check(bytes)
    for engine in engines {
        for format in [PrivateKeyFormat.pkcs8, .pkcs1, .sec1] {
            _ = try? engine.importPrivateKey(der: bytes, format: format, passphrase: nil)
        }
    }
    return 0
}
