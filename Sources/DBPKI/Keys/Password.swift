/// A password or PIN that protects a key: held so that it never shows itself.
///
/// Its `description`, `debugDescription` and mirror are all `Password(redacted)`, so a password
/// that ends up in string interpolation, `dump`, an error message or a log line stays secret.
/// Only ``withText(_:)`` hands the text out, to an engine that encrypts or decrypts with it.
public struct Password: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let text: String

    /// A password; an empty one is refused, since it protects nothing.
    public init(_ text: String) throws {
        guard !text.isEmpty else { throw PKIError(.invalidArgument, "the password is empty") }
        self.text = text
    }

    /// Runs `body` with the password's text, for the engine call that needs it.
    public func withText<T>(_ body: (String) throws -> T) rethrows -> T { try body(text) }

    /// True when both hold the same text (a prompt's confirmation).
    public func matches(_ other: Password) -> Bool { text == other.text }

    public var description: String { "Password(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
