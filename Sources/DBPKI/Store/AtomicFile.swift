import Foundation

/// Writes files the way keys must be written: created with their final mode from the
/// first byte (never chmod-ed afterwards), fully written and synced to a temporary
/// file beside the target, then renamed over it, so a reader or a crash sees either
/// the old file or the new one and never a half-written or briefly readable key.
public enum AtomicFile {
    /// Mode for private keys and anything holding one.
    public static let privateMode: mode_t = 0o600
    /// Mode for certificates and configuration.
    public static let publicMode: mode_t = 0o644

    /// Writes `bytes` to `path` atomically with `mode`. With `overwrite` false an
    /// existing file is an ``PKIError/Code-swift.struct/alreadyExists`` error.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t, overwrite: Bool = true) throws {
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw PKIError(.alreadyExists, "\(path) already exists")
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(UInt32.random(in: 0...UInt32.max))").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw PKIError(.io, "\(path): cannot create (\(String(cString: strerror(errno))))") }
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    throw PKIError(.io, "\(path): write failed (\(String(cString: strerror(errno))))")
                }
                offset += written
            }
            guard fsync(fd) == 0 else { throw PKIError(.io, "\(path): fsync failed") }
        }
        if !overwrite {
            // link(2) fails if the target appeared meanwhile: no silent overwrite in a race.
            guard link(temporary, path) == 0 else {
                throw PKIError(errno == EEXIST ? .alreadyExists : .io, "\(path) already exists or cannot be created")
            }
            unlink(temporary)
        } else {
            guard rename(temporary, path) == 0 else {
                throw PKIError(.io, "\(path): cannot replace (\(String(cString: strerror(errno))))")
            }
        }
        renamed = true
    }

    /// Writes text atomically.
    public static func write(_ text: String, to path: String, mode: mode_t, overwrite: Bool = true) throws {
        try write(Array(text.utf8), to: path, mode: mode, overwrite: overwrite)
    }

    /// Creates a directory (and its parents) with `mode` if it does not exist.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw PKIError(.io, "\(path) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: Int(mode)])
        } catch {
            throw PKIError(.io, "\(path): cannot create directory")
        }
    }
}

/// write(2), named apart from ``AtomicFile/write(_:to:mode:overwrite:)``.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
