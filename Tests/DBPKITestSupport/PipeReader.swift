import Foundation

/// Drains one pipe on a thread of its own, so a child never blocks on a full pipe and a hung
/// child cannot block the reader.
final class PipeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock { data.append(chunk) }
            }
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
