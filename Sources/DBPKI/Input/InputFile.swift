import Foundation

/// Reading input files with the limits dbpki applies to everything it is handed.
///
/// This is the one place dbpki reads a file it did not write in the same run: certificates,
/// CRLs, keys, bundles and zips, whether named on the command line, found by `audit` in a
/// folder or kept in a PKI directory.
public enum InputFile {
    /// The largest file dbpki reads as a certificate, CRL or key input.
    public static let maximumSize = 16 << 20

    /// Reads a whole regular file, refusing directories, missing files, FIFOs, devices and
    /// sockets (which could block for ever or never end) and anything over ``maximumSize``.
    /// Error messages start with the path.
    public static func read(_ path: String) throws -> [UInt8] {
        try PKIError.locating(path) { try contents(of: path) }
    }

    /// ``read(_:)`` without the path in front of error messages, for callers that report
    /// the location beside the message (`audit`).
    ///
    /// The file is opened without blocking and checked with fstat before any read, so a
    /// FIFO planted where a certificate should be is refused at once instead of holding the
    /// PKI lock while it waits for a writer; a regular file costs no extra path lookup.
    public static func contents(of path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw PKIError(.notFound, "no such file")
            case EACCES: throw PKIError(.io, "cannot be read (permission denied)")
            default: throw PKIError(.io, "cannot be read (\(String(cString: strerror(errno))))")
            }
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw PKIError(.io, "cannot be read (\(String(cString: strerror(errno))))")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw PKIError(.invalidInput, "is a directory")
        case S_IFIFO: throw PKIError(.invalidInput, "is a FIFO, not a regular file")
        case S_IFSOCK: throw PKIError(.invalidInput, "is a socket, not a regular file")
        case S_IFCHR, S_IFBLK: throw PKIError(.invalidInput, "is a device, not a regular file")
        default: throw PKIError(.invalidInput, "is not a regular file")
        }
        guard status.st_size <= maximumSize else {
            throw PKIError(.invalidInput, "larger than \(maximumSize >> 20) MiB")
        }
        // Certificate files fit in the first read; the size from fstat is only a hint, since
        // the file may grow while it is read.
        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size) + 1, 4096))
        var count = 0
        while true {
            if count == bytes.count {
                guard count <= maximumSize else {
                    throw PKIError(.invalidInput, "larger than \(maximumSize >> 20) MiB")
                }
                bytes += [UInt8](repeating: 0, count: bytes.count)
            }
            let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw PKIError(.io, "read failed (\(String(cString: strerror(errno))))") }
            if got == 0 { break }
            count += got
        }
        guard count <= maximumSize else { throw PKIError(.invalidInput, "larger than \(maximumSize >> 20) MiB") }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// Runs `body` on the file's bytes and puts the path in front of any error message.
    public static func decode<T>(_ path: String, _ body: ([UInt8]) throws -> T) throws -> T {
        let bytes = try read(path)
        return try PKIError.locating(path) { try body(bytes) }
    }
}
