import Foundation
import Testing

@testable import DBPKI

@Suite("Blocking work (probes) runs at once, bounded, with results in order")
struct BlockingWorkersTests {
    /// Counts how many bodies run at the same moment.
    final class Gauge: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private(set) var most = 0

        func enter() {
            lock.lock()
            running += 1
            most = max(most, running)
            lock.unlock()
        }

        func leave() {
            lock.lock()
            running -= 1
            lock.unlock()
        }
    }

    @Test("twenty blocking waits of 0.2 s take about one wait, and each result lands at its index")
    func waitsOverlap() {
        let start = Date()
        let results = BlockingWorkers.map(count: 20) { index in
            Thread.sleep(forTimeInterval: 0.2)
            return index * 10
        }
        #expect(results == (0..<20).map { $0 * 10 })
        // One after another: 4 s. The bound is loose for a busy machine and still far below that.
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test("no more than the given width run at once")
    func widthIsABound() {
        let gauge = Gauge()
        _ = BlockingWorkers.map(count: 30, width: 4) { _ in
            gauge.enter()
            Thread.sleep(forTimeInterval: 0.02)
            gauge.leave()
        }
        #expect(gauge.most <= 4)
        #expect(gauge.most >= 2)
    }

    @Test("nothing to do gives nothing, and one item gives its one result")
    func edgeCounts() {
        #expect(BlockingWorkers.map(count: 0) { $0 }.isEmpty)
        #expect(BlockingWorkers.map(count: 1) { $0 + 7 } == [7])
    }
}
