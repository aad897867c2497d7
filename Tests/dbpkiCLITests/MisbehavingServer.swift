import Foundation

/// A TCP server on 127.0.0.1 (a port the system picks) that misbehaves on purpose, for
/// `audit --probe` tests. It serves on threads of its own until ``stop()``, which the test calls.
final class MisbehavingServer: @unchecked Sendable {
    enum Behaviour {
        /// Accepts each connection and closes it at once.
        case closeAtOnce
        /// Sends one byte every `interval` seconds for ever: the header of a TLS handshake
        /// record of 16 KiB, then zeros, so a client always waits for more.
        case drip(interval: Double)
    }

    let port: Int
    private let listener: Int32
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var stopping = false
    private var threads = 0
    private let finished = DispatchSemaphore(value: 0)

    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        spawn { $0.acceptLoop() }
    }

    /// Stops serving, closes every connection and waits for the server's threads to end.
    func stop() {
        let running = lock.withLock {
            stopping = true
            return threads
        }
        for _ in 0..<running { finished.wait() }
        close(listener)
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// Runs `body` on a new thread that ``stop()`` waits for; false once stopping.
    @discardableResult
    private func spawn(_ body: @escaping @Sendable (MisbehavingServer) -> Void) -> Bool {
        let started = lock.withLock {
            guard !stopping else { return false }
            threads += 1
            return true
        }
        guard started else { return false }
        Thread.detachNewThread { [self] in
            body(self)
            finished.signal()
        }
        return true
    }

    private func acceptLoop() {
        while !isStopping {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            switch behaviour {
            case .closeAtOnce: close(connection)
            case .drip(let interval):
                if !spawn({ $0.drip(connection, every: interval) }) { close(connection) }
            }
        }
    }

    private func drip(_ connection: Int32, every interval: Double) {
        defer { close(connection) }
        let header: [UInt8] = [0x16, 0x03, 0x03, 0x40, 0x00]
        var sent = 0
        while !isStopping {
            var byte = sent < header.count ? header[sent] : 0
            // MSG_NOSIGNAL: the probe closing its end must not kill the test runner.
            guard send(connection, &byte, 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
            sent += 1
            Thread.sleep(forTimeInterval: interval)
        }
    }
}
