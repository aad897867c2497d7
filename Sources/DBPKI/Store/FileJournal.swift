import Foundation
import GRDB

/// One rename an operation makes, with the SHA-256 of the bytes that must be at `to`
/// afterwards, so that replaying it after a crash can tell "already done" from "to do".
public struct FileMove: Codable, Hashable, Sendable {
    /// Source, relative to the PKI directory.
    public var from: String
    /// Destination, relative to the PKI directory.
    public var to: String
    /// SHA-256 (hex) of the file's bytes.
    public var sha256: String
    /// True when the destination belongs to another PKI directory, which may change the file
    /// once it is there (an intermediate's inventory, handed over by its parent's journal): a
    /// replay then counts the move done once the destination exists, and never replaces it.
    public var handedOver: Bool?
    /// For a handed-over file: the SHA-256 of the file it replaces at `to` (an intermediate's
    /// inventory before its rollover). It is replaced only while it still holds those bytes.
    public var replacing: String?

    /// A move; `handedOver` and `replacing` only for a file given to another PKI directory.
    public init(from: String, to: String, sha256: String, handedOver: Bool? = nil, replacing: String? = nil) {
        self.from = from
        self.to = to
        self.sha256 = sha256
        self.handedOver = handedOver
        self.replacing = replacing
    }
}

/// An operation in the journal (`operation` table): its renames, and whether they are all done.
struct JournalOperation: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "operation"
    static let databaseDateEncodingStrategy = DatabaseDateEncodingStrategy.timeIntervalSince1970
    static let databaseDateDecodingStrategy = DatabaseDateDecodingStrategy.timeIntervalSince1970

    var id: Int64?
    var kind: String
    var summary: String
    var state: String
    var moves: [FileMove]
    var startedAt: Date
    var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, kind, summary, state, moves
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Carries out an operation's renames, idempotently, so the same list can be replayed
/// after a crash at any point.
struct FileJournal {
    let root: String
    let sha256: ([UInt8]) throws -> String

    /// A move's path: relative to the PKI directory, or absolute for a file handed over to
    /// another PKI directory (``FileMove/handedOver``).
    func absolute(_ relative: String) -> String { relative.hasPrefix("/") ? relative : root + "/" + relative }

    /// Renames `move.from` to `move.to` unless `to` already holds the expected bytes.
    /// `failpoint` names the step for ``Failpoint``'s injected I/O errors.
    func perform(_ move: FileMove, failpoint: String? = nil) throws {
        let to = absolute(move.to)
        let from = absolute(move.from)
        if let bytes = FileManager.default.contents(atPath: to), try sha256([UInt8](bytes)) == move.sha256 {
            // Done before the crash; a staged copy left behind is no longer needed.
            if move.from.hasPrefix(PKIDirectory.stagingFolder + "/") { unlink(from) }
            return
        }
        if move.handedOver == true, let bytes = FileManager.default.contents(atPath: to),
            try move.replacing == nil || sha256([UInt8](bytes)) != move.replacing
        {
            // The other directory has its own file (or changed it since): never replace it.
            if move.from.hasPrefix("/") { unlink(from) }
            return
        }
        guard FileManager.default.fileExists(atPath: from) else {
            throw PKIError(
                .io,
                "cannot finish moving \(move.from) to \(move.to): neither the source nor the expected destination is there"
            )
        }
        try AtomicFile.makeDirectory(URL(fileURLWithPath: to).deletingLastPathComponent().path)
        let injected = failpoint.flatMap(Failpoint.injectedError)
        if let injected { errno = injected }
        guard injected == nil, rename(from, to) == 0 else {
            throw PKIError(.io, "\(move.to): cannot rename into place (\(String(cString: strerror(errno))))")
        }
    }

    /// Flushes the directories the moves touched, so the renames outlive a power loss
    /// before the journal says they are done; a folder that cannot be flushed is an error,
    /// since the operation must then not be marked done.
    func syncDirectories(of moves: [FileMove], failpoint: String? = nil) throws {
        let folders = Set(
            moves.flatMap { [$0.from, $0.to] }.map {
                URL(fileURLWithPath: absolute($0)).deletingLastPathComponent().path
            })
        for folder in folders.sorted() {
            let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                throw PKIError(.io, "\(folder): cannot open to sync (\(String(cString: strerror(errno))))")
            }
            defer { close(fd) }
            let injected = failpoint.flatMap(Failpoint.injectedError)
            if let injected { errno = injected }
            guard injected == nil, fsync(fd) == 0 else {
                throw PKIError(.io, "\(folder): sync failed (\(String(cString: strerror(errno))))")
            }
        }
    }
}
