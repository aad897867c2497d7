import Foundation

/// A TCP connection opened with a deadline, for the engines to speak TLS over.
/// Connecting is non-blocking with poll(2), so an address that drops packets costs at
/// most the timeout; the connected socket gets send and receive timeouts, so a server
/// that accepts and then says nothing cannot hang a handshake.
public enum TCPConnection {
    /// Connects to `host:port` (every address it resolves to, in order) before `deadline`
    /// (seconds since 1970) and returns the socket; the caller closes it.
    public static func open(host: String, port: Int, deadline: Double) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw PKIError(.io, "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastProblem = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            do {
                try connectWithin(fd, address.pointee.ai_addr, address.pointee.ai_addrlen, deadline: deadline)
                try setTimeouts(fd, deadline: deadline)
                return fd
            } catch let error as PKIError {
                close(fd)
                lastProblem = error.message
            }
        }
        throw PKIError(.io, lastProblem)
    }

    private static func remaining(_ deadline: Double) -> Double { deadline - Date().timeIntervalSince1970 }

    private static func connectWithin(
        _ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, deadline: Double
    )
        throws
    {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if connect(fd, address, length) != 0 {
            guard errno == EINPROGRESS else {
                throw PKIError(.io, "connection failed (\(String(cString: strerror(errno))))")
            }
            while true {
                let left = remaining(deadline)
                guard left > 0 else { throw PKIError(.io, "connection timed out") }
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&poller, 1, Int32(min(left * 1000, 600_000).rounded(.up)))
                if ready < 0 && errno == EINTR { continue }
                guard ready > 0 else { throw PKIError(.io, "connection timed out") }
                break
            }
            var problem: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &problem, &size)
            guard problem == 0 else { throw PKIError(.io, "connection failed (\(String(cString: strerror(problem))))") }
        }
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
    }

    private static func setTimeouts(_ fd: Int32, deadline: Double) throws {
        let left = max(remaining(deadline), 0.001)
        var value = timeval(tv_sec: Int(left), tv_usec: Int((left - left.rounded(.down)) * 1_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, size) == 0,
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, size) == 0
        else { throw PKIError(.io, "cannot set socket timeouts") }
    }
}
