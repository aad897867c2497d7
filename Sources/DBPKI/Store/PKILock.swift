import Foundation

/// The exclusive lock that serialises dbpki processes on one PKI directory.
///
/// Every command that reads or changes the inventory holds an exclusive flock(2) on
/// `PKI/.lock` for as long as it works on the directory, so two processes never
/// interleave their file and database steps. A process that finds the lock taken says
/// so once (through `onWait`) and waits, polling, up to a timeout: 120 seconds, or
/// `DBPKI_LOCK_TIMEOUT` seconds when that is set; then it gives up with an error that
/// names the lock file. The lock is released when the process exits, however it exits
/// (the kernel drops flock locks with the last file descriptor), so a crashed dbpki
/// never leaves a stale lock behind. The file itself stays; removing it would let
/// two processes lock two different files.
public final class PKILock {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Default wait: 120 s, or `DBPKI_LOCK_TIMEOUT` seconds.
    public static var defaultTimeout: TimeInterval {
        if let text = ProcessInfo.processInfo.environment["DBPKI_LOCK_TIMEOUT"], let seconds = Double(text),
            seconds >= 0
        {
            return seconds
        }
        return 120
    }

    /// Takes the lock on `path` (created 0600 if missing), waiting up to `timeout`.
    public init(path: String, timeout: TimeInterval = PKILock.defaultTimeout, onWait: (() -> Void)? = nil) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw PKIError(.io, "\(path): cannot open the lock file (\(String(cString: strerror(errno))))")
        }
        let deadline = Date().addingTimeInterval(timeout)
        var announced = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(fd)
                throw PKIError(.io, "\(path): cannot lock (\(String(cString: strerror(errno))))")
            }
            if !announced {
                announced = true
                onWait?()
            }
            guard Date() < deadline else {
                close(fd)
                throw PKIError(
                    .io,
                    "another dbpki process has held \(path) for \(Int(timeout)) s; try again when it has finished "
                        + "(DBPKI_LOCK_TIMEOUT sets the wait)")
            }
            usleep(20_000)
        }
        self.path = path
        self.descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
