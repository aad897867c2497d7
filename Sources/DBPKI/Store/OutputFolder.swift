import Foundation

/// Writes a set of files into an output directory all or nothing.
///
/// Every file is first written, with its final mode from the first byte, and synced
/// into a private staging folder inside the output directory (so on the same file
/// system). Only then are the files renamed into place, each replacing any older file
/// atomically; a file that was there before is kept (hard-linked in the staging folder)
/// until every rename has succeeded. On any error (a full disk, a failing rename or
/// sync) the older files are put back, the new ones and the folders this run made are
/// removed, and the output directory is as it was. A process killed meanwhile leaves
/// its staging folder, which the next write into the same directory removes.
///
/// Neither the output directory nor a folder inside it may be a symbolic link (see
/// ``SymbolicLink``): a link planted at `OUT/server` would put a server key elsewhere.
public enum OutputFolder {
    /// One file to write.
    public struct File: Sendable {
        /// Path relative to the output directory (folders separated by `/`).
        public var relativePath: String
        public var contents: [UInt8]
        public var mode: mode_t

        /// A file to write.
        public init(relativePath: String, contents: [UInt8], mode: mode_t) {
            self.relativePath = relativePath
            self.contents = contents
            self.mode = mode
        }
    }

    static let stagingPrefix = ".dbpki-staging-"

    /// Writes `files` under `directory` (an absolute path); returns the absolute paths written.
    /// ``Failpoint``s `bundle.write-N` and `bundle.rename-N` inject I/O errors for tests.
    @discardableResult
    public static func write(_ files: [File], to directory: String) throws -> [String] {
        let destinations = files.map { directory + "/" + $0.relativePath }
        let folders = Array(Set(destinations.map(parent))).sorted()
        try check(directory: directory, folders: folders, destinations: destinations)

        var created = [String]()
        var staging: String?
        var placed = [(destination: String, backup: String?)]()
        do {
            try makeFolders(upTo: directory, created: &created)
            removeAbandonedStaging(in: directory)
            let stage = directory + "/" + stagingPrefix + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            guard mkdir(stage, 0o700) == 0 else { throw failure(stage, "cannot create", errno) }
            staging = stage
            for (index, file) in files.enumerated() {
                try writeSynced(
                    file.contents, to: "\(stage)/\(index)", mode: file.mode, for: destinations[index],
                    failpoint: "bundle.write-\(index + 1)")
            }
            for folder in folders { try makeFolders(upTo: folder, created: &created) }
            // Again just before the renames, leaving only a short window for a link planted meanwhile.
            try check(directory: directory, folders: folders, destinations: destinations)
            for (index, destination) in destinations.enumerated() {
                // An older file is kept (a second name in the staging folder) until every rename has worked.
                let backup = SymbolicLink.exists(destination) ? "\(stage)/old-\(index)" : nil
                if let backup, linkat(AT_FDCWD, destination, AT_FDCWD, backup, 0) != 0 {
                    throw failure(destination, "cannot keep the older file while replacing it", errno)
                }
                let injected = Failpoint.injectedError("bundle.rename-\(index + 1)")
                if let injected { errno = injected }
                guard injected == nil, rename("\(stage)/\(index)", destination) == 0 else {
                    let code = errno
                    if let backup { unlink(backup) }
                    throw failure(destination, "cannot rename into place", code)
                }
                placed.append((destination, backup))
            }
            for folder in Set(folders + [directory] + created.map(parent)).sorted() { try sync(folder) }
        } catch {
            let error = error as? PKIError ?? PKIError(.io, "\(directory): \(error)")
            var restored = true
            for (destination, backup) in placed.reversed() {
                let undone = backup.map { rename($0, destination) == 0 } ?? (unlink(destination) == 0)
                restored = restored && undone
            }
            if restored, let staging { try? FileManager.default.removeItem(atPath: staging) }
            for folder in created.reversed() { rmdir(folder) }
            let outcome =
                restored
                ? "the output directory was left as it was"
                : "the output directory could not be put back as it was (older files are kept in \(staging ?? directory))"
            throw PKIError(error.code, "\(error.message); \(outcome)")
        }
        if let staging { try? FileManager.default.removeItem(atPath: staging) }
        return destinations
    }

    /// Refuses, before anything is written, links and non-folders where folders must be,
    /// and folders where files must be.
    private static func check(directory: String, folders: [String], destinations: [String]) throws {
        var paths = [directory]
        for folder in folders {
            var path = directory
            for component in folder.dropFirst(directory.count).split(separator: "/") {
                path += "/" + component
                if !paths.contains(path) { paths.append(path) }
            }
        }
        for path in paths {
            try SymbolicLink.refuse(path, code: .alreadyExists, use: "in an output directory")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw PKIError(.alreadyExists, "\(path) exists and is not a folder")
            }
        }
        for destination in destinations {
            var status = stat()
            if lstat(destination, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
                throw PKIError(.alreadyExists, "\(destination) exists and is a folder")
            }
        }
    }

    /// Creates `path` and any missing parents, recording each folder made.
    private static func makeFolders(upTo path: String, created: inout [String]) throws {
        var missing = [String]()
        var current = path
        while !SymbolicLink.exists(current), current != "/" {
            missing.append(current)
            current = parent(current)
        }
        for folder in missing.reversed() {
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST else { throw failure(folder, "cannot create", errno) }
            created.append(folder)
        }
    }

    /// Removes staging folders whose process is gone (killed while writing).
    private static func removeAbandonedStaging(in directory: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix(stagingPrefix) {
            let pid = name.dropFirst(stagingPrefix.count).split(separator: "-").first.flatMap { Int32($0) }
            if let pid, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: directory + "/" + name)
            }
        }
    }

    /// Writes and syncs the staged copy at `path` of what goes to `destination` (named in errors).
    private static func writeSynced(
        _ bytes: [UInt8], to path: String, mode: mode_t, for destination: String, failpoint: String
    ) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw failure(destination, "cannot create", errno) }
        defer { close(fd) }
        if let injected = Failpoint.injectedError(failpoint) { throw failure(destination, "write failed", injected) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { posixWrite(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure(destination, "write failed", errno) }
            offset += written
        }
        guard fsync(fd) == 0 else { throw failure(destination, "sync failed", errno) }
    }

    private static func sync(_ folder: String) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(folder, "cannot open to sync", errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(folder, "sync failed", errno) }
    }

    private static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    private static func failure(_ path: String, _ what: String, _ code: Int32) -> PKIError {
        PKIError(.io, "\(path): \(what) (\(String(cString: strerror(code))))")
    }
}

/// write(2), named apart from ``OutputFolder/write(_:to:)``.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
