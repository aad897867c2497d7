import Foundation
import Testing

@testable import DBPKI

@Suite("A password never shows itself, and a password source asks at most once")
struct PasswordTests {
    @Test("interpolation, description, debugDescription, dump and an error's message show no password text")
    func neverShows() throws {
        let password = try Password("s3cret-Horse")
        var dumped = ""
        dump(password, to: &dumped)
        let shown = [
            "\(password)", String(describing: password), String(reflecting: password), dumped,
            "\(PasswordSource(password))", "\(KeyStore(newKeys: .encrypted, password: PasswordSource(password)))",
        ]
        for text in shown {
            #expect(!text.contains("s3cret"), "\(text)")
        }
        #expect(password.withText { $0 } == "s3cret-Horse")
    }

    @Test("an empty password is refused")
    func emptyIsRefused() {
        #expect { try Password("") } throws: { ($0 as? PKIError)?.code == .invalidArgument }
    }

    @Test("a source is asked once, however many keys need it, and not at all when none does")
    func askedOnce() throws {
        let count = Counter()
        let source = PasswordSource {
            count.add()
            return try Password("x")
        }
        #expect(count.value == 0)
        _ = try source.password()
        _ = try source.password()
        #expect(count.value == 1)
        #expect(try PasswordSource.none.password() == nil)
    }
}

/// Counts calls from a @Sendable closure.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
