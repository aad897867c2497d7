import Foundation

/// Path helpers for what dbpki writes into config files.
public enum FilePaths {
    /// `path` made absolute against the working directory and normalized (config files
    /// need absolute paths: redis-server changes directory before it loads them).
    public static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
