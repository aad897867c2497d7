/// The layout of a zip archive held in memory: its central directory, and where each entry's
/// compressed bytes lie once its local header has been checked against the directory.
///
/// Only what a client download needs is read: one disk, no zip64, sizes and CRCs from the
/// central directory (so entries written with data descriptors are fine). Every offset and
/// length is checked before it is used, and no entry's header or data may reach into the
/// central directory, so a cut or forged archive is refused rather than read past its end.
struct ZipDirectory {
    /// What the central directory says about one entry.
    struct Entry {
        /// The name's bytes as stored.
        var rawName: ArraySlice<UInt8>
        /// The name, decoded as UTF-8 (bytes that are not become U+FFFD).
        var name: String
        /// High byte: the system that made the entry (3 = unix); low byte: the zip version.
        var versionMadeBy: UInt16
        var flags: UInt16
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var externalAttributes: UInt32
        var localHeaderOffset: Int

        /// Bit 0 of the flags: the data is encrypted (traditional or strong), which dbpki never reads.
        var isEncrypted: Bool { flags & 1 != 0 }

        /// The unix mode (type and permission bits), when the entry was made on unix.
        var unixMode: UInt16? { versionMadeBy >> 8 == 3 ? UInt16(truncatingIfNeeded: externalAttributes >> 16) : nil }

        /// A symbolic link, which unix zips mark with S_IFLNK in the mode.
        var isLink: Bool { unixMode.map { $0 & 0o170000 == 0o120000 } ?? false }

        /// A folder: a name ending in `/`, S_IFDIR in a unix mode, or the MS-DOS directory attribute.
        var isFolder: Bool {
            if name.hasSuffix("/") || name.hasSuffix("\\") { return true }
            if let mode = unixMode { return mode & 0o170000 == 0o040000 }
            return externalAttributes & 0x10 != 0
        }
    }

    /// The entries, in central-directory order.
    let entries: [Entry]
    /// Where the central directory starts; every local header and all entry data lie before it.
    let directoryStart: Int

    private static let endRecordSignature: UInt32 = 0x0605_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let centralHeaderSignature: UInt32 = 0x0201_4B50
    private static let localHeaderSignature: UInt32 = 0x0403_4B50
    private static let endRecordSize = 22
    private static let centralHeaderSize = 46
    private static let localHeaderSize = 30

    private static func unreadable(_ reason: String) -> PKIError {
        PKIError(.invalidInput, "not a readable zip archive: \(reason)")
    }

    /// Reads the end-of-central-directory record and every central directory entry.
    init(_ bytes: [UInt8]) throws {
        guard let end = Self.findEndRecord(bytes) else {
            throw Self.unreadable("no end-of-central-directory record (not a zip, or cut short)")
        }
        let disk = bytes.uint16(end + 4)
        let directoryDisk = bytes.uint16(end + 6)
        let entriesOnDisk = bytes.uint16(end + 8)
        let entryCount = bytes.uint16(end + 10)
        let directorySize = bytes.uint32(end + 12)
        let directoryOffset = bytes.uint32(end + 16)
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF
            || (end >= 20 && bytes.uint32(end - 20) == Self.zip64LocatorSignature)
        {
            throw Self.unreadable("a zip64 archive, which dbpki does not read")
        }
        guard disk == 0, directoryDisk == 0, entriesOnDisk == entryCount else {
            throw Self.unreadable("an archive split over several disks")
        }
        let start = Int(directoryOffset)
        let size = Int(directorySize)
        guard start <= end, size <= end - start else {
            throw Self.unreadable("its central directory lies outside the archive")
        }
        var entries = [Entry]()
        var offset = start
        let directoryEnd = start + size
        for index in 0..<Int(entryCount) {
            guard directoryEnd - offset >= Self.centralHeaderSize,
                bytes.uint32(offset) == Self.centralHeaderSignature
            else {
                throw Self.unreadable("the central directory ends before entry \(index + 1) of \(entryCount)")
            }
            let nameLength = Int(bytes.uint16(offset + 28))
            let extraLength = Int(bytes.uint16(offset + 30))
            let commentLength = Int(bytes.uint16(offset + 32))
            let headerLength = Self.centralHeaderSize + nameLength + extraLength + commentLength
            guard directoryEnd - offset >= headerLength else {
                throw Self.unreadable("the central directory ends inside entry \(index + 1) of \(entryCount)")
            }
            let rawName = bytes[(offset + 46)..<(offset + 46 + nameLength)]
            let name = String(decoding: rawName, as: UTF8.self)
            let compressedSize = bytes.uint32(offset + 20)
            let uncompressedSize = bytes.uint32(offset + 24)
            let localHeaderOffset = bytes.uint32(offset + 42)
            guard compressedSize != 0xFFFF_FFFF, uncompressedSize != 0xFFFF_FFFF, localHeaderOffset != 0xFFFF_FFFF
            else {
                throw Self.unreadable("\(name): a zip64 entry, which dbpki does not read")
            }
            guard bytes.uint16(offset + 34) == 0 else {
                throw Self.unreadable("\(name): on another disk of a split archive")
            }
            entries.append(
                Entry(
                    rawName: rawName, name: name, versionMadeBy: bytes.uint16(offset + 4),
                    flags: bytes.uint16(offset + 8), method: bytes.uint16(offset + 10),
                    crc32: bytes.uint32(offset + 16), compressedSize: Int(compressedSize),
                    uncompressedSize: Int(uncompressedSize), externalAttributes: bytes.uint32(offset + 38),
                    localHeaderOffset: Int(localHeaderOffset)
                ))
            offset += headerLength
        }
        self.entries = entries
        self.directoryStart = start
    }

    /// The end-of-central-directory record: searched backwards from the end, since a comment
    /// of up to 64 KiB may follow it; the last signature whose comment fits the file wins.
    private static func findEndRecord(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= endRecordSize else { return nil }
        let lowest = max(0, bytes.count - endRecordSize - 0xFFFF)
        for candidate in stride(from: bytes.count - endRecordSize, through: lowest, by: -1)
        where bytes.uint32(candidate) == endRecordSignature {
            let commentLength = Int(bytes.uint16(candidate + 20))
            if candidate + endRecordSize + commentLength <= bytes.count { return candidate }
        }
        return nil
    }

    /// The compressed bytes of `entry`, after its local header has been checked: its signature,
    /// a name equal to the directory's, no encryption, the same method, and header and data
    /// both ending before the central directory. A failure names the entry.
    func compressedData(of entry: Entry, in bytes: [UInt8]) throws -> ArraySlice<UInt8> {
        let offset = entry.localHeaderOffset
        func damaged(_ reason: String) -> PKIError { PKIError(.invalidInput, "\(entry.name): \(reason)") }
        guard offset <= directoryStart, directoryStart - offset >= Self.localHeaderSize,
            bytes.uint32(offset) == Self.localHeaderSignature
        else {
            throw damaged("no local header where the central directory says it starts")
        }
        let nameLength = Int(bytes.uint16(offset + 26))
        let extraLength = Int(bytes.uint16(offset + 28))
        let dataStart = offset + Self.localHeaderSize + nameLength + extraLength
        guard dataStart <= directoryStart else { throw damaged("its local header runs into the central directory") }
        guard bytes[(offset + 30)..<(offset + 30 + nameLength)].elementsEqual(entry.rawName) else {
            throw damaged("its local header names another file")
        }
        let localFlags = bytes.uint16(offset + 6)
        guard localFlags & 1 == entry.flags & 1, bytes.uint16(offset + 8) == entry.method else {
            throw damaged("its local header and the central directory disagree on how it is stored")
        }
        guard entry.compressedSize <= directoryStart - dataStart else {
            throw damaged("its data runs into the central directory (the archive is cut short, or its sizes are wrong)")
        }
        return bytes[dataStart..<(dataStart + entry.compressedSize)]
    }
}

extension [UInt8] {
    /// The little-endian field at `offset`, which the caller has checked against the end.
    fileprivate func uint16(_ offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }

    /// The little-endian field at `offset`, which the caller has checked against the end.
    fileprivate func uint32(_ offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16
            | UInt32(self[offset + 3]) << 24
    }
}
