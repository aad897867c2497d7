import DBPKI

/// PEM splitting and the certificate/CRL/key decoders built on it: never crash, never hang.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: count))
    _ = try? PEM.decode(bytes)
    _ = try? CertificateDecoder.certificates(from: bytes)
    _ = try? CertificateDecoder.crls(from: bytes)
    _ = try? CertificateDecoder.privateKey(from: bytes)
    return 0
}
