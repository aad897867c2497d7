import Foundation

/// Serial numbers handed out from a list, for forcing collisions: the last one repeats for ever.
public final class SerialScript: @unchecked Sendable {
    private var serials: [[UInt8]]
    private let lock = NSLock()

    public init(_ serials: [[UInt8]]) { self.serials = serials }

    /// The next serial, for ``CertificateIssuer/serialNumbers``; once one is left it repeats.
    public func next() -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return serials.count > 1 ? serials.removeFirst() : serials[0]
    }
}
