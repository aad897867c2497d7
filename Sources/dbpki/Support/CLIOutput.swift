import DBPKI
import Foundation

/// Where the CLI writes: results to stdout, errors and reports to stderr.
enum CLIOutput {
    /// Writes one line to stderr.
    static func stderr(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Writes the contract's one-line error.
    static func error(_ message: String) {
        stderr("error: " + message.replacingOccurrences(of: "\n", with: " "))
    }

    /// Reports a PKIError and exits with its sysexits-style code (always 64 or more).
    static func fail(_ error: PKIError) -> Never {
        self.error(error.message)
        exit(exitCode(for: error.code))
    }

    /// sysexits(3) codes for each kind of failure.
    static func exitCode(for code: PKIError.Code) -> Int32 {
        switch code {
        case .invalidArgument: 64  // EX_USAGE
        case .invalidInput, .badPassphrase: 65  // EX_DATAERR
        case .notFound: 66  // EX_NOINPUT
        case .unsupported: 69  // EX_UNAVAILABLE
        case .alreadyExists: 73  // EX_CANTCREAT
        case .io: 74  // EX_IOERR
        default: 70  // EX_SOFTWARE
        }
    }
}
