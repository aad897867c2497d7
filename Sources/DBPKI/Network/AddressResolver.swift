import Foundation

/// Turns a probe's host into socket addresses before its deadline.
///
/// getaddrinfo(3) has no timeout and cannot be cancelled: glibc waits resolv.conf's
/// `timeout` × `attempts` for each silent name server (10 s by default, whatever
/// `--timeout` says). So a name is looked up on a thread of its own and the caller waits
/// only until the deadline; a lookup still running then is abandoned, and the thread
/// finishes alone, frees its answer and ends. An IP address is converted in place
/// (`AI_NUMERICHOST` never asks a server), so the common case costs no thread.
enum AddressResolver {
    /// One address getaddrinfo gave, copied out of its list so no C memory crosses threads.
    struct Address: Sendable {
        var family: Int32
        var socketType: Int32
        var protocolNumber: Int32
        /// The `sockaddr` bytes.
        var bytes: [UInt8]
    }

    /// Every address `host:port` resolves to, in the resolver's order.
    static func resolve(host: String, port: Int, before deadline: ProbeDeadline) throws -> [Address] {
        if IPAddress(host) != nil { return try lookUp(host: host, port: port, numeric: true).get() }
        let lookup = Lookup()
        Thread.detachNewThread {
            lookup.finish(lookUp(host: host, port: port, numeric: false))
        }
        let (seconds, attoseconds) = deadline.remaining.components
        let wait = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        guard lookup.done.wait(timeout: wait) == .success, let result = lookup.result else {
            throw PKIError(.io, "cannot resolve \(host): no answer within the timeout")
        }
        return try result.get()
    }

    private static func lookUp(host: String, port: Int, numeric: Bool) -> Result<[Address], PKIError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        if numeric { hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV }
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            return .failure(PKIError(.io, "cannot resolve \(host): \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(list) }
        var addresses = [Address]()
        var entry = list
        while let address = entry {
            entry = address.pointee.ai_next
            guard let socketAddress = address.pointee.ai_addr else { continue }
            let bytes = UnsafeRawBufferPointer(start: socketAddress, count: Int(address.pointee.ai_addrlen))
            addresses.append(
                Address(
                    family: address.pointee.ai_family, socketType: address.pointee.ai_socktype,
                    protocolNumber: address.pointee.ai_protocol, bytes: Array(bytes)))
        }
        guard !addresses.isEmpty else { return .failure(PKIError(.io, "cannot resolve \(host): no address")) }
        return .success(addresses)
    }

    /// The meeting point of the waiting caller and the lookup thread; whichever lets go last frees it.
    private final class Lookup: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var stored: Result<[Address], PKIError>?

        var result: Result<[Address], PKIError>? { lock.withLock { stored } }

        func finish(_ result: Result<[Address], PKIError>) {
            lock.withLock { stored = result }
            done.signal()
        }
    }
}
