import DBPKI

/// Command-line values parsed in the core: --ip, --at, --dns, versions, hex.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
    if let address = IPAddress(text) {
        precondition(IPAddress(address.description) == address, "an IP address must survive printing")
    }
    _ = try? RFC3339.parse(text)
    _ = DNSName.isValid(text)
    _ = ServerVersion(text)
    _ = Hex.decode(text)
    _ = RFC4514.escape(text)
    return 0
}
