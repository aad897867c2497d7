import Foundation
import Testing
import ZIPFoundation

@testable import DBPKI

/// A zip's bytes with the offsets a test needs to damage it by hand.
private struct EditableZip {
    var bytes: [UInt8]

    var endRecord: Int {
        (0...(bytes.count - 22)).reversed().first { bytes[$0..<($0 + 4)].elementsEqual([0x50, 0x4b, 0x05, 0x06]) }!
    }
    var directoryStart: Int { Int(uint32(endRecord + 16)) }

    func uint16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
    func uint32(_ offset: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) } }
    mutating func set32(_ offset: Int, _ value: UInt32) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    /// The offset of entry `index`'s central header.
    func central(_ index: Int) -> Int {
        var offset = directoryStart
        for _ in 0..<index { offset += 46 + uint16(offset + 28) + uint16(offset + 30) + uint16(offset + 32) }
        return offset
    }
    func local(_ index: Int) -> Int { Int(uint32(central(index) + 42)) }
    func dataStart(_ index: Int) -> Int { local(index) + 30 + uint16(local(index) + 26) + uint16(local(index) + 28) }
    func compressedSize(_ index: Int) -> Int { Int(uint32(central(index) + 20)) }

    /// Drops entry `index`'s compressed bytes past `keep` and moves the central directory up
    /// to follow; with `recordingTheCut`, both headers give the new size.
    mutating func cut(_ index: Int, keeping keep: Int, recordingTheCut: Bool) {
        let removed = compressedSize(index) - keep
        let (centralOffset, localOffset, start) = (central(index), local(index), dataStart(index))
        let directory = directoryStart
        bytes.removeSubrange((start + keep)..<(start + keep + removed))
        set32(endRecord + 16, UInt32(directory - removed))
        if recordingTheCut {
            set32(localOffset + 18, UInt32(keep))
            set32(centralOffset - removed + 20, UInt32(keep))
        }
    }
}

@Suite("Reading zips from memory")
struct ZipReaderTests {
    static let pem = Array(
        (0..<40).map { "line \($0 % 7) of a certificate-like text: abcdefghijklmnopqrstuvwxyz\n" }.joined().utf8)

    func zip(_ entries: [(String, [UInt8])], method: CompressionMethod = .deflate) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        for (path, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), permissions: 0o640,
                compressionMethod: method
            ) { data.subdata(in: Int($0)..<(Int($0) + $1)) }
        }
        return [UInt8](archive.data!)
    }

    @Test("what ClientZip writes reads back, names, bytes and modes")
    func clientZipRoundTrip() throws {
        let entries = [
            ClientZip.Entry(name: "ca.crt", contents: Self.pem, mode: 0o644),
            ClientZip.Entry(name: "app.crt", contents: Array("client".utf8), mode: 0o644),
            ClientZip.Entry(name: "app.key", contents: [], mode: 0o600),
        ]
        let contents = try ZipReader.read(try ClientZip.make(entries))
        #expect(contents.problems.isEmpty)
        #expect(contents.files.map(\.name) == entries.map(\.name))
        #expect(contents.files.map(\.contents) == entries.map(\.contents))
        #expect(contents.files.map(\.mode) == entries.map(\.mode))
    }

    @Test("stored and deflated entries both read, large ones included", arguments: [false, true])
    func storedAndDeflated(deflated: Bool) throws {
        let method: CompressionMethod = deflated ? .deflate : .none
        var random = SystemRandomNumberGenerator()
        let noise = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let repetitive = [UInt8]((0..<300).flatMap { _ in Self.pem })
        let contents = try ZipReader.read(
            try zip([("a.crt", Self.pem), ("noise.bin", noise), ("big.crt", repetitive)], method: method))
        #expect(contents.problems.isEmpty)
        #expect(contents.files.map(\.contents) == [Self.pem, noise, repetitive])
        #expect(contents.files.allSatisfy { $0.mode == 0o640 })
    }

    @Test("a deflated entry cut short, its sizes saying so, is refused at once")
    func truncatedOnlyEntry() throws {
        var damaged = EditableZip(bytes: try zip([("ca.crt", Self.pem)]))
        damaged.cut(0, keeping: damaged.compressedSize(0) / 2, recordingTheCut: true)
        let error = #expect(throws: PKIError.self) { try ZipReader.read(damaged.bytes) }
        #expect(error?.message == "ca.crt: cannot be inflated: the compressed data ends before its last block does")
    }

    @Test("the last entry cut short, the central directory intact, is refused at once")
    func truncatedLastEntry() throws {
        var damaged = EditableZip(bytes: try zip([("ca.crt", Self.pem), ("other.crt", Self.pem.reversed())]))
        damaged.cut(1, keeping: damaged.compressedSize(1) / 2, recordingTheCut: false)
        let error = #expect(throws: PKIError.self) { try ZipReader.read(damaged.bytes) }
        #expect(error?.message.hasPrefix("other.crt: its data runs into the central directory") == true)
    }

    @Test("an entry whose CRC-32 does not match its data is refused")
    func crcMismatch() throws {
        for method in [CompressionMethod.none, .deflate] {
            var damaged = EditableZip(bytes: try zip([("ca.crt", Self.pem)], method: method))
            damaged.set32(damaged.central(0) + 16, damaged.uint32(damaged.central(0) + 16) ^ 0x8000_0000)
            let error = #expect(throws: PKIError.self) { try ZipReader.read(damaged.bytes) }
            #expect(error?.message == "ca.crt: its CRC-32 does not match its data (damaged or altered)")
        }
    }

    @Test("an entry holding more or fewer bytes than its directory says is refused, the bomb bounded")
    func sizeDisagreements() throws {
        let bomb = [UInt8](repeating: 0, count: 8 << 20)
        var inflating = EditableZip(bytes: try zip([("bomb.crt", bomb)]))
        #expect(inflating.compressedSize(0) < 20_000)
        inflating.set32(inflating.central(0) + 24, 1000)
        let bigger = #expect(throws: PKIError.self) { try ZipReader.read(inflating.bytes) }
        #expect(bigger?.message == "bomb.crt: cannot be inflated: it inflates past 1000 bytes")
        var short = EditableZip(bytes: try zip([("ca.crt", Self.pem)]))
        short.set32(short.central(0) + 24, UInt32(Self.pem.count + 1))
        let smaller = #expect(throws: PKIError.self) { try ZipReader.read(short.bytes) }
        #expect(smaller?.message.hasPrefix("ca.crt: holds \(Self.pem.count) bytes") == true)
        let declared = try ZipReader.read(try zip([("bomb.crt", bomb)]))
        #expect(declared.files.isEmpty && declared.problems == ["bomb.crt: larger than 1 MiB"])
    }

    @Test("encrypted entries, unknown methods and a local header naming another file are not read")
    func headerDisagreements() throws {
        var encrypted = EditableZip(bytes: try zip([("ca.crt", Self.pem)]))
        encrypted.bytes[encrypted.central(0) + 8] |= 1
        #expect(try ZipReader.read(encrypted.bytes).problems == ["ca.crt: is encrypted"])
        var bzip2 = EditableZip(bytes: try zip([("ca.crt", Self.pem)]))
        bzip2.bytes[bzip2.central(0) + 10] = 12
        #expect(
            try ZipReader.read(bzip2.bytes).problems == [
                "ca.crt: compressed with method 12, where only stored (0) and deflate (8) are read"
            ])
        var renamed = EditableZip(bytes: try zip([("ca.crt", Self.pem)]))
        renamed.bytes[renamed.local(0) + 30] = UInt8(ascii: "x")
        let error = #expect(throws: PKIError.self) { try ZipReader.read(renamed.bytes) }
        #expect(error?.message == "ca.crt: its local header names another file")
    }

    @Test("archives cut before their directory, zip64 and split archives are unreadable, in words")
    func unreadableArchives() throws {
        let whole = try zip([("ca.crt", Self.pem)])
        let cut = #expect(throws: PKIError.self) { try ZipReader.read(Array(whole.dropLast(10))) }
        #expect(cut?.message.hasPrefix("not a readable zip archive: no end-of-central-directory record") == true)
        var zip64 = EditableZip(bytes: whole)
        zip64.set32(zip64.central(0) + 20, 0xFFFF_FFFF)
        let large = #expect(throws: PKIError.self) { try ZipReader.read(zip64.bytes) }
        #expect(large?.message == "not a readable zip archive: ca.crt: a zip64 entry, which dbpki does not read")
        var split = EditableZip(bytes: whole)
        split.bytes[split.endRecord + 4] = 1
        let disks = #expect(throws: PKIError.self) { try ZipReader.read(split.bytes) }
        #expect(disks?.message == "not a readable zip archive: an archive split over several disks")
    }

    @Test("a unix link entry is a problem, not a file")
    func links() throws {
        var damaged = EditableZip(bytes: try zip([("ca.crt", Self.pem)]))
        damaged.set32(damaged.central(0) + 38, UInt32(0o120777) << 16)
        #expect(try ZipReader.read(damaged.bytes).problems == ["ca.crt: is a link"])
    }
}

@Suite("The deflate decoder")
struct InflaterTests {
    func bytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map {
            let start = hex.index(hex.startIndex, offsetBy: $0)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    func inflate(_ hex: String, limit: Int = 1 << 20) throws -> [UInt8] {
        try Inflater.inflate(bytes(hex)[...], limit: limit)
    }

    /// Made with Python's zlib (raw deflate, wbits -15): level 9, default strategy, which
    /// chooses one dynamic Huffman block for this text.
    static let dynamicText = Array(
        (0..<40).map { "line \($0 % 7) of the dynamic vector: abcdefghijklmnopqrstuvwxyz\n" }.joined().utf8)
    static let dynamicVector =
        "edd1c91540301000d0bb2aa604fb4137918590858810d57b5a98e73805fcd337da4928c12b88b304911db39a43923cfa30001b"
        + "b9906a9af5b21aebfcb687239ee9baf353980f565858636183852d167658d8632175500775500775500775fcd3f102"

    @Test("empty fixed and stored blocks give nothing")
    func empty() throws {
        #expect(try inflate("0300") == [])
        #expect(try inflate("010000ffff") == [])
    }

    @Test("a fixed Huffman block (zlib, Z_FIXED) decodes, back references included")
    func fixed() throws {
        #expect(try inflate("cb48cdc9c9d751c840a21401") == Array("hello, hello, hello!".utf8))
        #expect(try inflate("4b040200") == Array("aaaa".utf8))
    }

    @Test("a dynamic Huffman block (zlib, level 9) decodes")
    func dynamic() throws {
        #expect(bytes(Self.dynamicVector)[0] >> 1 & 3 == 2)
        #expect(try inflate(Self.dynamicVector) == Self.dynamicText)
    }

    @Test("a stored block (zlib, level 0) decodes")
    func stored() throws {
        #expect(try inflate("010c00f3ff73746f726564206279746573") == Array("stored bytes".utf8))
    }

    @Test("a stream cut anywhere before its end is refused at once")
    func truncated() throws {
        for vector in [Self.dynamicVector, "cb48cdc9c9d751c840a21401", "010c00f3ff73746f726564206279746573"] {
            let whole = bytes(vector)
            for length in 0..<whole.count {
                #expect(throws: PKIError.self, "\(vector) cut to \(length)") {
                    try Inflater.inflate(whole[..<length], limit: 1 << 20)
                }
            }
        }
        let error = #expect(throws: PKIError.self) { try inflate(String(Self.dynamicVector.dropLast(4))) }
        #expect(error?.message == "the compressed data ends before its last block does")
    }

    @Test("a reference before the start of the output, a reserved block type and a bad stored length are refused")
    func malformed() throws {
        // Fixed block: literal 'a', then length 3 at distance 2 (zlib: "invalid distance too far back").
        let far = #expect(throws: PKIError.self) { try inflate("4b044200") }
        #expect(far?.message == "a reference 2 bytes back, before the start of the data")
        let reserved = #expect(throws: PKIError.self) { try inflate("07") }
        #expect(reserved?.message == "a block of the reserved type 3")
        let stored = #expect(throws: PKIError.self) { try inflate("010c00f3fe73746f726564206279746573") }
        #expect(stored?.message == "a stored block whose length check fails")
    }

    @Test("output stops at the limit: a bomb is refused, not inflated")
    func bomb() throws {
        // 4 MiB of zeros deflate (ZIPFoundation, through zlib) to a few KiB.
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let archive = try Archive(accessMode: .create)
        try archive.addEntry(
            with: "z", type: .file, uncompressedSize: Int64(zeros.count), compressionMethod: .deflate
        ) { Data(zeros[Int($0)..<(Int($0) + $1)]) }
        let damaged = EditableZip(bytes: [UInt8](archive.data!))
        let compressed = damaged.bytes[damaged.dataStart(0)..<(damaged.dataStart(0) + damaged.compressedSize(0))]
        #expect(try Inflater.inflate(compressed, limit: zeros.count) == zeros)
        let error = #expect(throws: PKIError.self) { try Inflater.inflate(compressed, limit: 1 << 20) }
        #expect(error?.message == "it inflates past 1048576 bytes")
    }
}

@Suite("CRC-32")
struct CRC32Tests {
    @Test("matches the IEEE check value and known strings, in one piece or several")
    func knownValues() {
        #expect(DBPKI.CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(DBPKI.CRC32.checksum([UInt8]()) == 0)
        #expect(DBPKI.CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        var pieces = DBPKI.CRC32()
        pieces.update(Array("12345".utf8))
        pieces.update(Array("6789".utf8))
        #expect(pieces.value == 0xCBF4_3926)
    }
}
