import Foundation

/// Runs blocking work (a TLS probe waits on the network for up to its timeout) on up to `width`
/// threads of its own at once, so a few silent endpoints cost one timeout, not one each.
///
/// Dispatch's `concurrentPerform` is sized for CPU-bound work (one thread per core), and the
/// global queues cap how many of their threads may block; probes are I/O-bound, so they get
/// plain threads, bounded, each taking the next index until none is left.
enum BlockingWorkers {
    /// The most probes in flight at once: enough for a fleet's worth of silent endpoints to
    /// overlap, few enough that sockets and threads stay far under any process limit.
    static let defaultWidth = 64

    /// `body(0) ..< body(count - 1)`, run on at most `width` threads; results in index order.
    static func map<T>(count: Int, width: Int = defaultWidth, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let threads = min(max(1, width), count)
        if threads == 1 { return (0..<count).map(body) }
        let results = IndexedResults<T>(count: count)
        let finished = DispatchGroup()
        for _ in 0..<threads {
            finished.enter()
            let thread = Thread {
                while let index = results.nextIndex() { results.set(index, body(index)) }
                finished.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        finished.wait()
        return results.values
    }
}

/// Results written back by position from several threads, and (for ``BlockingWorkers``) the
/// indices handed out once each.
final class IndexedResults<T>: @unchecked Sendable {
    private var storage: [T?]
    private var next = 0
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    /// The next index no thread has taken yet, or nil when all are taken.
    func nextIndex() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < storage.count else { return nil }
        next += 1
        return next - 1
    }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    /// Every result; read only after every position has been written.
    var values: [T] { storage.map { $0! } }
}
