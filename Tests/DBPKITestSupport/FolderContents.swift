import Foundation

/// The regular files under a folder with their bytes, for "a refused command changed nothing"
/// checks that compare contents (folders, such as a `.staging/` the store makes when it opens,
/// do not count).
public enum FolderContents {
    /// Every regular file under `path` (hidden ones too), by its path relative to `path`.
    public static func files(under path: String) -> [String: Data] {
        var files = [String: Data]()
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let file = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = path + "/" + file
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[file] = FileManager.default.contents(atPath: full) ?? Data()
            }
        }
        return files
    }
}
