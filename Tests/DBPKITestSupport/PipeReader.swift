import Foundation

/// Drains one pipe on a thread of its own, so a child never blocks on a full pipe and a hung
/// child cannot block the reader.
final class PipeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            // read(2) with EINTR retried: FileHandle's readers trap on an interrupted read (a
            // signal such as SIGCHLD landing on this thread), which took whole test runs down.
            let fd = handle.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let got = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                if got > 0 {
                    lock.withLock { data.append(contentsOf: buffer[0..<got]) }
                } else if got < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            // The reader owns its end: Foundation's Process keeps its Pipes (and their descriptors)
            // alive after the child is gone, and a test run of thousands of children reached 5,000
            // open descriptors, past which Process.run() itself crashed (a memcpy while it walked
            // the descriptors to close in the child).
            try? handle.close()
            done.signal()
        }
    }

    /// What the child wrote; waits at most a few seconds for grandchildren still holding the pipe,
    /// then gives what arrived so far.
    func text() -> String {
        _ = done.wait(timeout: .now() + 5)
        return lock.withLock { String(decoding: data, as: UTF8.self) }
    }
}
