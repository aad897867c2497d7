/// A `--probe HOST:PORT` endpoint (`[::1]:6379` for IPv6).
public struct ProbeTarget: Hashable, Sendable, CustomStringConvertible {
    /// The host name or address, without brackets.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Parses `HOST:PORT` or `[IPv6]:PORT`.
    public init(parsing text: String) throws {
        let usage = "--probe '\(text)' is not HOST:PORT (an IPv6 address in brackets: [::1]:6379)"
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw PKIError(.invalidArgument, usage)
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
            guard IPAddress(String(host)).map({ !$0.isIPv4 }) == true else { throw PKIError(.invalidArgument, usage) }
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                throw PKIError(.invalidArgument, usage)
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65_535).contains(port) else {
            throw PKIError(.invalidArgument, usage)
        }
        self.host = String(host)
        self.port = port
    }

    /// The SNI name sent by default: the host, unless it is an IP address (SNI carries names only).
    public var defaultServerName: String? { IPAddress(host) == nil ? host : nil }

    /// `HOST:PORT`, with brackets around an IPv6 address.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The location an audit prints for certificates read from this endpoint.
    public var location: String { "probe:\(description)" }
}
