/// Reads a client download zip defensively, from memory: every entry is checked before it is
/// inflated, inflating stops at the limits whatever the headers claim, and what comes out must
/// have the size and CRC-32 the central directory gives.
///
/// The archive is parsed by ``ZipDirectory`` and inflated by ``Inflater``, both in Swift and
/// bounds-checked: a zip library that loops until a deflate stream ends hung on an entry cut
/// short, and reading through a temporary file left a copy of the zip (client key and all) on
/// disk when dbpki was killed mid-read.
public enum ZipReader {
    /// The largest entry accepted, uncompressed.
    public static let maximumEntrySize = 1 << 20
    /// The largest total accepted, uncompressed.
    public static let maximumTotalSize = 10 << 20
    /// The most entries accepted.
    public static let maximumEntries = 256

    /// What was read: the files that passed, and one line per problem.
    public struct Contents: Sendable {
        public var files: [(name: String, contents: [UInt8], mode: UInt16?)] = []
        public var problems: [String] = []
    }

    /// True when the bytes start like a zip file.
    public static func looksLikeZip(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x50, 0x4b, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4b, 0x05, 0x06])
    }

    /// Reads the entries. Folders, `..`, absolute paths, links, duplicates, encrypted entries,
    /// unknown compression methods and oversized entries are problems and are not read. An
    /// archive that cannot be read, or an entry that is damaged (cut short, bad deflate data,
    /// wrong size or CRC-32), throws, naming the entry: a damaged download is unreadable.
    public static func read(_ bytes: [UInt8]) throws -> Contents {
        let directory = try ZipDirectory(bytes)
        var contents = Contents()
        var seen = Set<String>()
        var total = 0
        for (index, entry) in directory.entries.enumerated() {
            if index == maximumEntries {
                contents.problems.append("more than \(maximumEntries) entries")
                break
            }
            if let problem = problem(with: entry, seen: &seen) {
                contents.problems.append(problem)
                continue
            }
            let name = entry.name
            if entry.uncompressedSize > maximumEntrySize {
                contents.problems.append("\(name): larger than \(maximumEntrySize >> 20) MiB")
                continue
            }
            if total + entry.uncompressedSize > maximumTotalSize {
                contents.problems.append("archive larger than \(maximumTotalSize >> 20) MiB uncompressed")
                break
            }
            let data = try read(entry, from: directory, in: bytes)
            total += data.count
            contents.files.append((name, data, entry.unixMode.map { $0 & 0o7777 }))
        }
        return contents
    }

    /// Why an entry is not read, judged from the central directory alone.
    private static func problem(with entry: ZipDirectory.Entry, seen: inout Set<String>) -> String? {
        let name = entry.name
        if name.isEmpty { return "an entry without a name" }
        if entry.isLink { return "\(name): is a link" }
        if entry.isFolder { return "\(name): is a folder" }
        if name.hasPrefix("/") || name.hasPrefix("\\") || name.contains(":") { return "\(name): absolute path" }
        if name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..") { return "\(name): contains '..'" }
        if name.contains("/") || name.contains("\\") { return "\(name): is inside a folder" }
        if !seen.insert(name).inserted { return "\(name): duplicate entry" }
        if entry.isEncrypted { return "\(name): is encrypted" }
        if entry.method != 0 && entry.method != 8 {
            return "\(name): compressed with method \(entry.method), where only stored (0) and deflate (8) are read"
        }
        return nil
    }

    /// The entry's bytes, inflated within its declared size and checked against its CRC-32.
    private static func read(
        _ entry: ZipDirectory.Entry, from directory: ZipDirectory, in bytes: [UInt8]
    ) throws -> [UInt8] {
        let name = entry.name
        let compressed = try directory.compressedData(of: entry, in: bytes)
        let data: [UInt8]
        if entry.method == 0 {
            data = Array(compressed)
        } else {
            do {
                data = try Inflater.inflate(compressed, limit: entry.uncompressedSize)
            } catch let error as PKIError {
                throw PKIError(.invalidInput, "\(name): cannot be inflated: \(error.message)")
            }
        }
        guard data.count == entry.uncompressedSize else {
            throw PKIError(
                .invalidInput,
                "\(name): holds \(data.count) bytes where the central directory says \(entry.uncompressedSize)")
        }
        guard CRC32.checksum(data) == entry.crc32 else {
            throw PKIError(.invalidInput, "\(name): its CRC-32 does not match its data (damaged or altered)")
        }
        return data
    }
}
