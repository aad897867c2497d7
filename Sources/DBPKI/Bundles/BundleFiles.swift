import Foundation

/// A set of files to write together: each with its content and mode. Bundles are
/// computed in full first and written only when every part is ready, all or nothing,
/// so a failed command leaves nothing half-written.
public struct BundleFiles: Sendable {
    /// One file, by path relative to the output directory.
    public struct File: Sendable, Hashable {
        public var relativePath: String
        public var contents: [UInt8]
        public var mode: mode_t
    }

    /// The files, in the order they are written.
    public private(set) var files: [File] = []

    /// An empty set.
    public init() {}

    /// Adds a file.
    public mutating func add(_ relativePath: String, _ contents: [UInt8], mode: mode_t) {
        files.append(File(relativePath: relativePath, contents: contents, mode: mode))
    }

    /// Adds a text file.
    public mutating func add(_ relativePath: String, text: String, mode: mode_t) {
        add(relativePath, Array(text.utf8), mode: mode)
    }

    /// Writes every file under `directory` (an absolute path), all or nothing (see
    /// ``OutputFolder``): on any error the directory is left as it was. Returns the
    /// absolute paths written.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        try OutputFolder.write(
            files.map { OutputFolder.File(relativePath: $0.relativePath, contents: $0.contents, mode: $0.mode) },
            to: directory)
    }
}
