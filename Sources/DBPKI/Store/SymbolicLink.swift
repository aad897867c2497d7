import Foundation

/// A symbolic link found where dbpki creates, moves or deletes files (inside a PKI
/// directory or an output directory).
///
/// dbpki never follows such a link: one planted at `PKI/.staging` or `OUT/server` would
/// send keys outside the directory the user named, and a dangling one at
/// `PKI/inventory.sqlite` would make the inventory somewhere else with whatever mode the
/// link's target gets. Only the directory given on the command line may itself be a link.
public struct SymbolicLink: Hashable, Sendable {
    /// The link's path.
    public var path: String
    /// What it points to, as stored in the link.
    public var target: String

    /// The link at `path`, or nil when `path` is not a symbolic link (or does not exist).
    public static func at(_ path: String) -> SymbolicLink? {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        let target = count >= 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        return SymbolicLink(path: path, target: target)
    }

    /// True when something (a file, a folder, or a link, even a dangling one) is at `path`.
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Throws, with `code`, when `path` is a symbolic link.
    public static func refuse(_ path: String, code: PKIError.Code = .invalidInput, use: String) throws {
        if let link = at(path) { throw link.error(code: code, use: use) }
    }

    /// The error naming the link and where it points.
    public func error(code: PKIError.Code = .invalidInput, use: String) -> PKIError {
        PKIError(
            code,
            "\(path) is a symbolic link (to \(target)); dbpki does not follow links \(use): "
                + "replace it with a real folder or file")
    }
}
