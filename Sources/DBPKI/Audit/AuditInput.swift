/// What an audit reads, as named on the command line.
public enum AuditInput: Hashable, Sendable {
    /// A PKI directory (`--dir`): walked recursively; files that hold no certificate
    /// (keys, configs, databases) are skipped silently.
    case pkiDirectory(String)
    /// A file or folder argument: a file must hold certificates (else it is reported
    /// unreadable); a folder is walked like a PKI directory.
    case path(String)
}

/// One input that could not be read, with why. Reported, never fatal.
public struct UnreadableInput: Hashable, Sendable {
    /// The path, `path!entry` or `probe:HOST:PORT`.
    public var input: String
    /// One line saying what went wrong.
    public var reason: String

    /// Makes a record.
    public init(input: String, reason: String) {
        self.input = input
        self.reason = reason
    }
}
