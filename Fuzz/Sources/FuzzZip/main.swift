import DBPKI

/// The client-zip reader: hostile archives give problems or an error, within its size limits.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: count))
    if let contents = try? ZipReader.read(bytes) {
        precondition(contents.files.allSatisfy { $0.contents.count <= ZipReader.maximumEntrySize })
        precondition(contents.files.reduce(0) { $0 + $1.contents.count } <= ZipReader.maximumTotalSize)
    }
    return 0
}
