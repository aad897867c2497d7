import Foundation
import ZIPFoundation

/// Reads a client download zip defensively: every entry is checked before it is
/// inflated, and inflating stops at the limits whatever the headers claim.
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

    /// Reads the entries. Folders, `..`, absolute paths, links, duplicates and oversized
    /// entries are problems and are not read; an unreadable archive throws.
    public static func read(_ bytes: [UInt8]) throws -> Contents {
        // ZIPFoundation's in-memory archives trap when a hostile header seeks past the end of
        // the data (found by Fuzz/FuzzZip); its file-backed reading goes through fread, which
        // does not. So the bytes are read from a private temporary file.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dbpki-zip-\(UUID().uuidString)")
        try AtomicFile.write(bytes, to: file.path, mode: AtomicFile.privateMode, overwrite: false)
        defer { try? FileManager.default.removeItem(at: file) }
        let archive: Archive
        do {
            archive = try Archive(url: file, accessMode: .read)
        } catch {
            throw PKIError(.invalidInput, "not a readable zip archive")
        }
        var contents = Contents()
        var seen = Set<String>()
        var total = 0
        var count = 0
        for entry in archive {
            count += 1
            if count > maximumEntries {
                contents.problems.append("more than \(maximumEntries) entries")
                break
            }
            let name = entry.path
            if entry.type == .symlink { contents.problems.append("\(name): is a link"); continue }
            if entry.type == .directory || name.hasSuffix("/") {
                contents.problems.append("\(name): is a folder"); continue
            }
            if name.hasPrefix("/") || name.hasPrefix("\\") || name.contains(":") {
                contents.problems.append("\(name): absolute path"); continue
            }
            if name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..") {
                contents.problems.append("\(name): contains '..'"); continue
            }
            if name.contains("/") || name.contains("\\") {
                contents.problems.append("\(name): is inside a folder"); continue
            }
            if !seen.insert(name).inserted { contents.problems.append("\(name): duplicate entry"); continue }
            if entry.uncompressedSize > UInt64(maximumEntrySize) {
                contents.problems.append("\(name): larger than \(maximumEntrySize >> 20) MiB"); continue
            }
            if total + Int(entry.uncompressedSize) > maximumTotalSize {
                contents.problems.append("archive larger than \(maximumTotalSize >> 20) MiB uncompressed"); break
            }
            var data = [UInt8]()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    data += chunk
                    if data.count > maximumEntrySize {
                        throw PKIError(.invalidInput, "\(name): inflates past its declared size")
                    }
                }
            } catch let error as PKIError {
                contents.problems.append(error.message); continue
            } catch {
                contents.problems.append("\(name): cannot be inflated (\(error))"); continue
            }
            total += data.count
            let mode = entry.fileAttributes[.posixPermissions].flatMap { ($0 as? NSNumber)?.uint16Value }
            contents.files.append((name, data, mode))
        }
        return contents
    }
}
