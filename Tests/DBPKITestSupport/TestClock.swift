import Foundation

/// A clock a test sets by hand, given to a ``PKIStore`` as its clock, so renewal windows and
/// expiry are tested without waiting.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = TestPKI.now) { current = start }

    /// The time the store reads; set it to move the store's clock.
    public var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    /// The store's clock closure.
    public var read: @Sendable () -> Date { { [self] in now } }
}
