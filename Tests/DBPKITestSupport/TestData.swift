import Foundation

/// The repository's `testdata/` folder (fixed certificates, keys, the x509-limbo suite, crafted
/// inputs), found from this file's path so tests run from any working directory.
public enum TestData {
    /// The repository's root folder.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardizedFileURL

    /// `testdata/` itself.
    public static let folder = repository.appendingPathComponent("testdata")

    /// The URL of `path` inside `testdata/`.
    public static func url(_ path: String) -> URL { folder.appendingPathComponent(path) }

    /// The file path of `path` inside `testdata/`.
    public static func path(_ path: String) -> String { url(path).path }

    /// The bytes of `path` inside `testdata/`.
    public static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(path))) }
}
