import Foundation

/// Enumerates the files of an audit's inputs lazily, folder by folder, so the list of a
/// 100,000-file tree never sits in memory whole. Folders are walked recursively in name
/// order; links to files are followed, links to folders are not (no loops). Hidden entries
/// (names starting with `.`) inside walked folders are not read: in a PKI directory they
/// are the lock and the staged files of an unfinished operation, which nobody deployed.
public struct AuditInputWalker: IteratorProtocol {
    /// One file to read.
    public struct File: Sendable {
        /// The path as found (joined onto the input as given).
        public var path: String
        /// True when the user named this file itself: then a file without certificates is
        /// unreadable; inside a walked folder it is skipped.
        public var named: Bool
    }

    /// One step of the walk: a file to read, or a named input that does not exist or cannot be listed.
    public enum Item: Sendable {
        case file(File)
        case unreadable(UnreadableInput)
    }

    private var pending: [AuditInput]
    private var folders: [String] = []
    private var files: [String] = []

    /// Walks `inputs` in order.
    public init(_ inputs: [AuditInput]) { pending = inputs.reversed() }

    public mutating func next() -> Item? {
        while true {
            if let file = files.popLast() { return .file(File(path: file, named: false)) }
            if let folder = folders.popLast() {
                list(folder)
                continue
            }
            guard let input = pending.popLast() else { return nil }
            switch input {
            case .pkiDirectory(let path):
                guard Self.kind(path, follow: true) == .folder else {
                    return .unreadable(UnreadableInput(input: path, reason: "no such PKI directory"))
                }
                folders.append(path)
            case .path(let path):
                switch Self.kind(path, follow: true) {
                case .folder: folders.append(path)
                case .file: return .file(File(path: path, named: true))
                case .other: return .unreadable(UnreadableInput(input: path, reason: "not a regular file or folder"))
                case .missing: return .unreadable(UnreadableInput(input: path, reason: "no such file or folder"))
                }
            }
        }
    }

    private enum Kind { case file, folder, other, missing }

    private static func kind(_ path: String, follow: Bool) -> Kind {
        var info = stat()
        let result = follow ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK:
            return kind(path, follow: true) == .file ? .file : .other
        default: return .other
        }
    }

    /// Queues a folder's files and subfolders (in name order, so the walk is deterministic).
    private mutating func list(_ folder: String) {
        guard let handle = opendir(folder) else { return }
        defer { closedir(handle) }
        var entries = [(name: String, type: UInt8)]()
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            entries.append((name, entry.pointee.d_type))
        }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        var subfolders = [String]()
        var found = [String]()
        for entry in entries.sorted(by: { $0.name < $1.name }) {
            let path = prefix + entry.name
            // The directory entry's type saves a stat per file; file systems that do not fill it in get one.
            let kind: Kind
            switch Int32(entry.type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .folder
            default: kind = Self.kind(path, follow: false)
            }
            switch kind {
            case .file: found.append(path)
            case .folder: subfolders.append(path)
            default: continue
            }
        }
        // Stacks pop from the end: reverse so the first name comes out first.
        files.append(contentsOf: found.reversed())
        folders.append(contentsOf: subfolders.reversed())
    }
}
