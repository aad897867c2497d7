/// The moment one `--probe` must be done by, computed once from `--timeout` when the probe
/// starts and handed to every step (resolve, connect, each read and write of the handshake),
/// so the timeout bounds the whole probe rather than each step: a server that sends one byte
/// just inside every step's limit cannot stretch it.
///
/// It reads the monotonic clock, so a wall-clock step (NTP, a changed date) neither cuts a
/// probe short nor lets it run on. A value, not shared state: concurrent probes each hold their own.
public struct ProbeDeadline: Sendable {
    private let end: ContinuousClock.Instant

    /// A deadline `seconds` from now.
    public init(secondsFromNow seconds: Double) {
        end = ContinuousClock.now + .seconds(max(seconds, 0))
    }

    /// True once the deadline is reached.
    public var hasPassed: Bool { ContinuousClock.now >= end }

    /// The time left, zero once passed.
    public var remaining: Duration { max(end - ContinuousClock.now, .zero) }

    /// The time left in whole milliseconds, rounded up (so a wait never ends just before the
    /// deadline and spins), for poll(2); 0 once passed.
    public var remainingMilliseconds: Int32 {
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
