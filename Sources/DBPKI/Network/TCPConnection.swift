import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP connection for one `--probe`, whose every step stops at the probe's deadline.
///
/// The engines speak TLS over it through their custom-transport hooks (an OpenSSL BIO,
/// GnuTLS push and pull functions) instead of handing the socket to the library: socket
/// timeouts restart on every byte, so a server that drips a byte at a time would keep a
/// library's own reads going for ever, while ``receive(into:count:)`` polls against the
/// time left before each read. Writes use `MSG_NOSIGNAL`, so a server that has already
/// closed gives EPIPE rather than a SIGPIPE that kills the process (neither library's own
/// socket writes pass that flag). The connection owns its socket and closes it on deinit.
///
/// One thread uses a connection at a time, as one engine session does.
public final class TCPConnection {
    private let fd: Int32
    /// The probe's deadline, which the handshake also honours.
    public let deadline: ProbeDeadline
    /// The first failure met while reading: the deadline passed, the peer closed, an error.
    /// Engines report it in preference to their own account, which only sees "I/O failed".
    public private(set) var readFailure: PKIError?
    /// The first failure met while writing.
    public private(set) var writeFailure: PKIError?

    private init(fd: Int32, deadline: ProbeDeadline) {
        self.fd = fd
        self.deadline = deadline
    }

    deinit { close(fd) }

    /// Resolves `host` and connects to each address it gives, in order, until one
    /// answers, all before `deadline`.
    public static func open(host: String, port: Int, deadline: ProbeDeadline) throws -> TCPConnection {
        var lastProblem = "no address"
        for address in try AddressResolver.resolve(host: host, port: port, before: deadline) {
            // Non-blocking from the start: connect and every later read and write wait with poll.
            let flags = Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
            let fd = socket(address.family, address.socketType | flags, address.protocolNumber)
            guard fd >= 0 else { continue }
            let connection = TCPConnection(fd: fd, deadline: deadline)
            do {
                try connection.connect(to: address)
                return connection
            } catch let error as PKIError {
                lastProblem = error.message
            }
        }
        throw PKIError(.io, lastProblem)
    }

    /// Reads up to `count` bytes once some arrive: the number read, 0 when the peer has
    /// closed, -1 on an error or at the deadline (then ``readFailure`` says which).
    public func receive(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        while true {
            let got = recv(fd, buffer, count, Int32(MSG_DONTWAIT))
            if got > 0 { return got }
            if got == 0 {
                readFailure = readFailure ?? PKIError(.io, "TLS handshake failed: the connection was closed")
                return 0
            }
            let problem = errno
            if problem == EINTR { continue }
            guard problem == EAGAIN || problem == EWOULDBLOCK else {
                readFailure = readFailure ?? Self.failure(problem)
                return -1
            }
            guard waitFor(Int16(POLLIN), atMost: .max) else {
                readFailure = readFailure ?? Self.timedOut
                return -1
            }
        }
    }

    /// Writes up to `count` bytes once the socket takes some: the number written, or -1 on
    /// an error or at the deadline (then ``writeFailure`` says which).
    public func send(_ bytes: UnsafeRawPointer, count: Int) -> Int {
        while true {
            let sent = Glibc.send(fd, bytes, count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            if sent >= 0 { return sent }
            let problem = errno
            if problem == EINTR { continue }
            guard problem == EAGAIN || problem == EWOULDBLOCK else {
                writeFailure = writeFailure ?? Self.failure(problem)
                return -1
            }
            guard waitFor(Int16(POLLOUT), atMost: .max) else {
                writeFailure = writeFailure ?? Self.timedOut
                return -1
            }
        }
    }

    /// Waits until there is something to read, for at most `milliseconds` and never past the
    /// deadline (GnuTLS asks this before reading): 1 when readable, 0 when the wait ran out,
    /// -1 on an error. Running into the deadline counts as a read failure.
    public func waitForInput(atMost milliseconds: Int) -> Int32 {
        if waitFor(Int16(POLLIN), atMost: milliseconds) { return 1 }
        if deadline.hasPassed {
            readFailure = readFailure ?? Self.timedOut
            return -1
        }
        return 0
    }

    private static let timedOut = PKIError(.io, "TLS handshake timed out")

    private static func failure(_ problem: Int32) -> PKIError {
        switch problem {
        case EPIPE: PKIError(.io, "TLS handshake failed: the connection was closed")
        case ECONNRESET: PKIError(.io, "TLS handshake failed: the connection was reset")
        default: PKIError(.io, "TLS handshake failed (\(String(cString: strerror(problem))))")
        }
    }

    /// poll(2) for `events` until they come (true), or `milliseconds` (unbounded from
    /// `Int32.max` on) or the deadline pass (false).
    private func waitFor(_ events: Int16, atMost milliseconds: Int) -> Bool {
        let limit =
            milliseconds >= Int(Int32.max) ? deadline : ProbeDeadline(secondsFromNow: Double(milliseconds) / 1000)
        while true {
            guard !deadline.hasPassed else { return false }
            var poller = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&poller, 1, min(deadline.remainingMilliseconds, limit.remainingMilliseconds))
            if ready > 0 { return true }  // also on POLLERR and POLLHUP: the next call reports them
            if ready < 0 && errno != EINTR { return false }
            if ready == 0 && limit.hasPassed { return false }
        }
    }

    /// A non-blocking connect(2), waited for with poll(2) until the deadline.
    private func connect(to address: AddressResolver.Address) throws {
        let started = address.bytes.withUnsafeBytes {
            Glibc.connect(
                fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(address.bytes.count))
        }
        guard started != 0 else { return }
        guard errno == EINPROGRESS else {
            throw PKIError(.io, "connection failed (\(String(cString: strerror(errno))))")
        }
        guard waitFor(Int16(POLLOUT), atMost: .max) else { throw PKIError(.io, "connection timed out") }
        var problem: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &problem, &size)
        guard problem == 0 else { throw PKIError(.io, "connection failed (\(String(cString: strerror(problem))))") }
    }
}
