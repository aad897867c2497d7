import Synchronization

/// Where a command's password comes from, asked at most once and only when a key needs it.
///
/// The front end decides where a password is found (a file, a terminal prompt); the core
/// decides when one is needed: reading an encrypted key, or writing a key the store encrypts.
/// A PKI whose keys are plain never asks, so a command that may sign with an encrypted CA key
/// prompts only when it really does.
public final class PasswordSource: Sendable {
    private let obtain: @Sendable () throws -> Password?
    private let cached = Mutex<Password??>(nil)

    /// A source that calls `obtain` the first time a password is needed; nil means none can be
    /// had (no file, no terminal), which the core turns into a "needs the password" error.
    public init(_ obtain: @escaping @Sendable () throws -> Password?) {
        self.obtain = obtain
    }

    /// A source that always has `password`.
    public convenience init(_ password: Password) {
        self.init { password }
    }

    /// No password can be had: encrypted keys are not opened.
    public static let none = PasswordSource { nil }

    /// The password, asking the source the first time; nil when none can be had.
    public func password() throws -> Password? {
        if let known = cached.withLock({ $0 }) { return known }
        let password = try obtain()
        cached.withLock { $0 = .some(password) }
        return password
    }
}
