import Foundation

/// A private folder in the temporary directory for one test, removed when the test lets go of it,
/// so no test sees another's files.
public final class ScratchFolder {
    public let path: String

    /// Makes a new, empty folder with a unique name.
    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("dbpki-test-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the folder (not created).
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` (making its folders) and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = file(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes `text` as UTF-8 to `name` and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}
