import ArgumentParser
import DBPKI
import Foundation

/// `--password-file F`: a password is read from the first line of a file, never from the
/// command line (where `ps` and shell history would show it). Without the option, the file
/// named by the environment variable `DBPKI_PASSWORD_FILE` is read, as the contract says
/// for every password dbpki takes.
struct PasswordFileOption: ParsableArguments {
    /// The variable naming the password file when `--password-file` is not given.
    static let environmentVariable = PasswordOption.environmentVariable

    @Option(
        help: "Read the password from the first line of this file (default: the file DBPKI_PASSWORD_FILE names).",
        completion: .file())
    var passwordFile: String?

    /// `--password-file`, else `DBPKI_PASSWORD_FILE` (unless unset or empty).
    var path: String? {
        passwordFile ?? ProcessInfo.processInfo.environment[Self.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The password, or nil when no file is named. A named file is read as every password file
    /// is (``PasswordOption/readFile(_:)``: its first line, not empty, a warning when others may
    /// read it).
    func password() throws -> String? {
        guard let path else { return nil }
        return try PasswordOption.readFile(path).withText { $0 }
    }

    /// The password, for a command that cannot work without one.
    func requiredPassword() throws -> String {
        guard let password = try password() else {
            throw ValidationError(
                "a password is needed: give --password-file F (its first line), or set \(Self.environmentVariable)")
        }
        return password
    }
}
