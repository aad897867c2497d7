import Foundation

/// Reading input files with the limits dbpki applies to everything it is handed.
public enum InputFile {
    /// The largest file dbpki reads as a certificate, CRL or key input.
    public static let maximumSize = 16 << 20

    /// Reads a whole regular file, refusing directories, missing files and anything over ``maximumSize``.
    public static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PKIError(.notFound, "\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw PKIError(.invalidInput, "\(path): is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PKIError(.io, "\(path): cannot be read (permission denied?)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumSize + 1) ?? Data()
        } catch {
            throw PKIError(.io, "\(path): read failed")
        }
        guard data.count <= maximumSize else {
            throw PKIError(.invalidInput, "\(path): larger than \(maximumSize >> 20) MiB")
        }
        return [UInt8](data)
    }

    /// Runs `body` on the file's bytes and puts the path in front of any error message.
    public static func decode<T>(_ path: String, _ body: ([UInt8]) throws -> T) throws -> T {
        let bytes = try read(path)
        do {
            return try body(bytes)
        } catch let error as PKIError {
            throw PKIError(error.code, "\(path): \(error.message)")
        }
    }
}
