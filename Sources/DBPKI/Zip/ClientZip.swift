import Foundation
import ZIPFoundation

/// The Redis client download: a zip with files at its root and no folders, built in
/// memory with a fixed entry order and timestamp so the same inputs give the same bytes.
public enum ClientZip {
    /// One entry.
    public struct Entry: Sendable {
        public var name: String
        public var contents: [UInt8]
        public var mode: UInt16
        /// Makes an entry; `name` must be a plain file name.
        public init(name: String, contents: [UInt8], mode: UInt16) {
            self.name = name
            self.contents = contents
            self.mode = mode
        }
    }

    /// The timestamp every entry carries (the zip format's own epoch is 1980).
    static let timestamp = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01

    /// The zip's bytes.
    public static func make(_ entries: [Entry]) throws -> [UInt8] {
        do {
            let archive = try Archive(accessMode: .create)
            for entry in entries {
                precondition(!entry.name.contains("/") && !entry.name.isEmpty, "zip entries are plain file names")
                let data = Data(entry.contents)
                try archive.addEntry(
                    with: entry.name, type: .file, uncompressedSize: Int64(data.count), modificationDate: timestamp,
                    permissions: entry.mode, compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
            guard let data = archive.data else { throw PKIError(.io, "zip archive has no data") }
            return [UInt8](data)
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError(.io, "cannot build zip: \(error)")
        }
    }
}
