import ArgumentParser
import DBPKI
import Foundation

/// `--password-file F`: where a command finds the password of an encrypted key, never on
/// the command line (argv is visible to every user of the machine).
///
/// In order: the first line of `--password-file`, else of the file `DBPKI_PASSWORD_FILE`
/// names, else a prompt without echo when stdin is a terminal, else none (and a command that
/// needs one refuses, exit 64, having written nothing). A file is read at once, so a missing
/// (66) or empty (64) file stops the command before it changes anything; a file that others
/// may read is used, with a `warning:` line. The prompt comes only when a key needs it.
struct PasswordOption: ParsableArguments {
    /// The variable that names a password file when `--password-file` is not given.
    static let environmentVariable = "DBPKI_PASSWORD_FILE"

    @Option(
        help: ArgumentHelp(
            "A file whose first line is the password of the encrypted CA key (default: the file "
                + "DBPKI_PASSWORD_FILE names; else asked on a terminal).", valueName: "file"),
        completion: .file())
    var passwordFile: String?

    /// The file named by `--password-file`, else by `DBPKI_PASSWORD_FILE` (unless unset or empty).
    var file: String? {
        passwordFile ?? ProcessInfo.processInfo.environment[Self.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Where an existing key's password comes from: the file (read now), else a terminal prompt
    /// when a key turns out to be encrypted (unless `prompt` is false, as for doctor), else none.
    func source(prompt: Bool = true) throws -> PasswordSource {
        try Self.source(file: file, prompt: prompt ? "Password of the CA key: " : nil)
    }

    /// The file's password (read now), else one asked with `prompt` when a key needs it, else none.
    static func source(file: String?, prompt: String?) throws -> PasswordSource {
        if let file { return PasswordSource(try readFile(file)) }
        guard let prompt else { return .none }
        return PasswordSource { ask(prompt) }
    }

    /// The password a new key is encrypted with, had now (before anything is written): the
    /// file, else asked twice on a terminal; with neither, a refusal.
    func passwordForNewKey() throws -> Password {
        try Self.newPassword(file: file, prompt: "Password for the new CA key: ")
    }

    /// A new password from `file`, else asked twice on a terminal with `prompt`, else refused.
    static func newPassword(file: String?, prompt: String, remedy: Remedy = Remedy(.givePassword)) throws -> Password {
        if let file { return try readFile(file) }
        guard let password = try askTwice(prompt) else {
            throw PKIError(.passwordNeeded, "a new key is to be encrypted and no password was given", remedy: remedy)
        }
        return password
    }

    /// The first line of `path`, without its newline. A file others can read is used, with a warning.
    static func readFile(_ path: String) throws -> Password {
        let bytes = try InputFile.read(path)
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & 0o044 != 0 {
            CLIOutput.stderr(
                "warning: \(path) is readable by others (mode \(String(status.st_mode & 0o777, radix: 8))); "
                    + "keep a password file at mode 600")
        }
        var line = bytes.prefix { $0 != 0x0a }
        if line.last == 0x0d { line = line.dropLast() }
        guard !line.isEmpty, let text = String(bytes: line, encoding: .utf8) else {
            throw PKIError(.invalidArgument, "\(path): the first line holds no password (empty or not UTF-8)")
        }
        return try Password(text)
    }

    /// Asks twice and insists on the same answer; nil without a terminal.
    private static func askTwice(_ prompt: String) throws -> Password? {
        guard let first = ask(prompt) else { return nil }
        guard let second = ask("Again, to confirm: "), second.matches(first) else {
            throw PKIError(.invalidArgument, "the two passwords typed differ; nothing was written")
        }
        return first
    }

    /// One line typed on the terminal without echo; nil when stdin is not a terminal or the
    /// line is empty.
    private static func ask(_ prompt: String) -> Password? {
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        var saved = termios()
        let canHide = tcgetattr(STDIN_FILENO, &saved) == 0
        if canHide {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            // Ctrl-C (or a kill) while echo is off must not leave the user's shell without echo.
            savedTerminal = saved
            for signal in restoringSignals { Glibc.signal(signal, restoreTerminalAndDie) }
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if canHide {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                for signal in restoringSignals { Glibc.signal(signal, SIG_DFL) }
            }
        }
        // Echo is off before the prompt shows, so nothing typed after it is echoed or flushed.
        FileHandle.standardError.write(Data(prompt.utf8))
        var line = [UInt8]()
        var byte: UInt8 = 0
        while Glibc.read(STDIN_FILENO, &byte, 1) == 1, byte != 0x0a { line.append(byte) }
        if line.last == 0x0d { line.removeLast() }
        guard let text = String(bytes: line, encoding: .utf8) else { return nil }
        return try? Password(text)
    }
}

/// The signals that end dbpki at a prompt and must give the terminal its echo back first.
private let restoringSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

/// The terminal's settings before a prompt turned echo off; read only by the signal handler,
/// written once before it is installed.
nonisolated(unsafe) private var savedTerminal = termios()

/// Puts the terminal back as it was, then dies of `signal` as if nothing had caught it (the
/// shell still sees a process killed by SIGINT).
private func restoreTerminalAndDie(_ signal: Int32) {
    tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal)
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
}
