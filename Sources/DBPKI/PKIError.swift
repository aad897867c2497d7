/// The one error type dbpki throws.
///
/// Like swift-certificates' errors, this is a struct with a ``Code`` rather than
/// a public enum, so new codes can be added without breaking callers that
/// switch over them. The ``message`` is one human-readable line; it never
/// contains private key material.
public struct PKIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short, stable identifier such as `invalid-input`.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The input could not be decoded (not PEM, not DER, truncated, wrong label, ...).
        public static let invalidInput = Code("invalid-input")
        /// The caller asked for something the arguments do not allow.
        public static let invalidArgument = Code("invalid-argument")
        /// An encrypted key was given without a passphrase, or with a wrong one.
        public static let badPassphrase = Code("bad-passphrase")
        /// A key is encrypted (or is to be) and no password could be had: none was given and
        /// there is no terminal to ask on.
        public static let passwordNeeded = Code("password-needed")
        /// The key or algorithm is not supported by dbpki or the engine.
        public static let unsupported = Code("unsupported")
        /// A file could not be read or written.
        public static let io = Code("io")
        /// A file that must not be overwritten already exists.
        public static let alreadyExists = Code("already-exists")
        /// Something that should exist does not (a CA, an issued certificate).
        public static let notFound = Code("not-found")
        /// The crypto engine reported a failure that none of the above describes.
        public static let engine = Code("engine")

        public var description: String { rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// One line for a human, without the `error:` prefix: the facts, naming no flag or command.
    public let message: String
    /// What would put it right, for the front end to word as advice; nil when the message says all.
    public let remedy: Remedy?

    /// Makes an error with a code, a one-line message and, optionally, its remedy.
    public init(_ code: Code, _ message: String, remedy: Remedy? = nil) {
        self.code = code
        self.message = message
        self.remedy = remedy
    }

    public var description: String { message }

    /// The same error with the input it is about in front of the message (`path: message`),
    /// so every error names its input.
    public func located(at location: String) -> PKIError {
        PKIError(code, "\(location): \(message)", remedy: remedy)
    }

    /// Runs `body`, putting `location` in front of the message of any ``PKIError`` it throws.
    public static func locating<T>(_ location: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PKIError {
            throw error.located(at: location)
        }
    }
}
