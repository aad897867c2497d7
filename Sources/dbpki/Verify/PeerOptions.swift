import ArgumentParser
import DBPKI

/// `--host NAME | --ip ADDR`: the name a certificate must be valid for, checked the same
/// way by every command that takes it.
struct PeerOptions: ParsableArguments {
    @Option(help: "The DNS name the certificate must be valid for.")
    var host: String?

    @Option(help: "The IPv4 or IPv6 address the certificate must be valid for.")
    var ip: String?

    /// Called by the commands' `check()` (not `validate()`, so an unknown option is reported first).
    func check() throws {
        if host != nil && ip != nil { throw ValidationError("give --host or --ip, not both") }
        if let host, IPAddress(host) != nil {
            throw ValidationError("'\(host)' is an IP address: use --ip \(host)")
        }
        if let host, host.isEmpty || host.utf8.count > 253 || host.contains(where: { $0.isWhitespace }) {
            throw ValidationError("'\(host)' is not a DNS name")
        }
        if let ip, IPAddress(ip) == nil {
            throw ValidationError("'\(ip)' is not an IPv4 or IPv6 address" + (ip.contains(".") ? "" : ": use --host"))
        }
    }

    /// The identity asked for, if any.
    var peer: VerificationPolicy.PeerIdentity? {
        if let host { return .dns(host) }
        return ip.flatMap(IPAddress.init).map { .ip($0) }
    }
}
