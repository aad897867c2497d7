import DBPKI
import Foundation

/// Where the CLI writes: results to stdout, errors and reports to stderr.
enum CLIOutput {
    /// Writes one line to stderr. A stderr that nobody reads any more (EPIPE, SIGPIPE being
    /// ignored) is no reason to stop: the line is dropped and the exit status still tells.
    static func stderr(_ line: String) {
        _ = writeAll(2, Array((line + "\n").utf8)[...])
    }

    /// Writes report bytes to stdout. A reader that has gone away (`dbpki audit | head`) shows
    /// as EPIPE, SIGPIPE being ignored (see `DBPKICommand.main`); the process then ends by
    /// SIGPIPE as it would have anyway and as a shell pipeline expects, not with an error line.
    static func stdout(_ bytes: ArraySlice<UInt8>) throws {
        let problem = writeAll(1, bytes)
        guard problem != 0 else { return }
        if problem == EPIPE {
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
        throw PKIError(.io, "cannot write to stdout (\(String(cString: strerror(problem))))")
    }

    /// write(2) until every byte is written: 0, or the errno that stopped it.
    private static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Int32 {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written >= 0 {
                    offset += written
                } else if errno != EINTR {
                    return errno
                }
            }
            return 0
        }
    }

    /// Writes the contract's one-line error.
    static func error(_ message: String) {
        stderr("error: " + message.replacingOccurrences(of: "\n", with: " "))
    }

    /// Reports a PKIError and exits with its sysexits-style code (always 64 or more).
    static func fail(_ error: PKIError) -> Never {
        self.error(sentence(for: error))
        exit(exitCode(for: error.code))
    }

    /// The error's message followed by the CLI's advice for its remedy, if any.
    static func sentence(for error: PKIError) -> String {
        error.message + (error.remedy?.advice ?? "")
    }

    /// sysexits(3) codes for each kind of failure.
    static func exitCode(for code: PKIError.Code) -> Int32 {
        switch code {
        case .invalidArgument, .passwordNeeded: 64  // EX_USAGE
        case .invalidInput, .badPassphrase: 65  // EX_DATAERR
        case .notFound: 66  // EX_NOINPUT
        case .unsupported: 69  // EX_UNAVAILABLE
        case .alreadyExists: 73  // EX_CANTCREAT
        case .io: 74  // EX_IOERR
        default: 70  // EX_SOFTWARE
        }
    }
}
