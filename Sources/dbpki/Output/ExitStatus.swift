/// Every exit status dbpki uses, and which command uses which: one table, from which each
/// command's `--help` (and so its man page) gets its "Exit status:" list, so the help, the
/// man pages and the CLI test that provokes each status all say the same.
///
/// The codes follow sysexits(3) (64 and up, see `CLIOutput.exitCode(for:)`); 1 is an answer
/// that is "no" (an invalid chain, an unfit bundle, a refusal); `audit` keeps the
/// monitoring-plugin convention (0 ok, 1 warning, 2 critical, 3 unknown).
struct ExitStatus: Hashable, Sendable {
    /// The status the process exits with.
    let code: Int32
    /// What it means for this command, in a few words.
    let meaning: String

    init(_ code: Int32, _ meaning: String) {
        self.code = code
        self.meaning = meaning
    }

    static func ok(_ meaning: String) -> ExitStatus { ExitStatus(0, meaning) }
    static func no(_ meaning: String) -> ExitStatus { ExitStatus(1, meaning) }

    static let usage = ExitStatus(64, "usage: an unknown option, a missing or refused value")
    static let dataError = ExitStatus(65, "bad data: an input that is not a certificate (or not the one expected)")
    static let dataErrorPKI = ExitStatus(65, "bad data: a PKI file does not decode or match the inventory (see doctor)")
    static let noInput = ExitStatus(66, "no input: a file that does not exist")
    static let noPKI = ExitStatus(66, "no input: no CA in the PKI directory, or no certificate NAME")
    static let unavailable = ExitStatus(69, "unavailable: PEM with RFC 1421 headers or a TRUSTED CERTIFICATE block")
    static let unavailableKey = ExitStatus(69, "unavailable: a legacy encrypted key (PEM with RFC 1421 headers)")
    static let software = ExitStatus(70, "internal error: an engine failure dbpki does not expect")
    static let cantCreate = ExitStatus(73, "cannot create: it exists already")
    static let usagePassword = ExitStatus(
        64, "usage: a refused value, or an encrypted CA key and no password")
    static let wrongPassword = ExitStatus(
        65, "bad data: a PKI file is broken (see doctor), or a wrong password")
    static let noPKIOrPassword = ExitStatus(66, "no input: no CA or NAME, or no password file")
    static let ioError = ExitStatus(74, "I/O error: a file or the PKI directory cannot be read or written")

    /// The statuses of each command, by its path below `dbpki` ("ca retire-old"; "" is dbpki itself).
    static let table: [String: [ExitStatus]] = [
        "": [.ok("success, --help or --version"), .usage],
        "init": [
            .ok("the CA was created (or imported)"),
            .no("--import refused: another key, not a CA, or no chain to --root"),
            .usagePassword.because("a refused value, or --encrypt-key and no password"),
            .dataErrorPKI.because("--parent's files or key password are wrong"),
            .noPKIOrPassword.because("no --parent PKI, or no password file"),
            .cantCreate.because("the PKI already has a CA"),
            .ioError, .software,
        ],
        "issue": [
            .ok("the certificate was issued"), .usagePassword, .wrongPassword,
            .noPKIOrPassword.because("no CA in the PKI directory, or no password file"),
            .unavailableKey, .cantCreate.because("NAME is issued already (use --force or dbpki renew)"), .ioError,
            .software,
        ],
        "sign": [
            .ok("the certificate was signed"), .usage,
            .dataError.because("a request not PKCS#10, forged, weak, or for a CA (without --ca)"),
            .noInput.because("no request file, no CA in the PKI directory"), .unavailableKey,
            .cantCreate.because("NAME is issued already"), .ioError, .software,
        ],
        "renew": [
            .ok("renewed (or nothing was due)"), .usagePassword, .wrongPassword, .noPKIOrPassword, .unavailableKey,
            .ioError, .software,
        ],
        "ca": [.ok("help shown"), .usage],
        "ca rollover": [
            .ok("the new CA issues from now on"), .usagePassword, .wrongPassword,
            .noPKIOrPassword.because("no CA in the PKI directory, or no password file"),
            .unavailableKey, .cantCreate.because("a rollover is already in progress"), .ioError, .software,
        ],
        "ca change-password": [
            .ok("the CA key is encrypted under the new password"),
            .usagePassword.because("a refused value, or no new password"), .wrongPassword,
            .noPKIOrPassword.because("no CA in the PKI directory, or no password file"), .ioError, .software,
        ],
        "ca status": [.ok("status shown"), .usage, .noPKI.because("no CA in the PKI directory"), .ioError],
        "ca retire-old": [
            .ok("the old CA was retired"),
            .no("refused: active certificates are still signed by the old CA"),
            .usage, .noPKI.because("no CA in the PKI directory, or no rollover in progress"), .ioError,
        ],
        "list": [.ok("inventory shown"), .usage, .noPKI.because("no CA in the PKI directory"), .ioError],
        "revoke": [
            .ok("recorded as revoked"), .usage, .noPKI, .cantCreate.because("it is revoked already"), .ioError,
        ],
        "crl": [
            .ok("the CRL was written"), .usagePassword, .wrongPassword,
            .noPKIOrPassword.because("no CA, no old CA for --ca old, or no password file"),
            .unavailable.because("reason codes on GnuTLS (see --no-reasons); a legacy PEM key"),
            .ioError, .software,
        ],
        "doctor": [
            .ok("files and inventory agree"), .no("problems found (one line each on stdout)"), .usage,
            .noPKI.because("no CA in the PKI directory"), .ioError, .software,
        ],
        "bundle": [.ok("help shown"), .usage],
        "bundle mongodb": [
            .ok("the bundle was written"), .usage,
            .dataErrorPKI.because("a mismatched PKI file, or a client or member unfit to ship"),
            .noPKI,
            .unavailableKey.because("a legacy encrypted key, or a subject mongod cannot read"),
            .cantCreate.because("OUT or OUT/server is a file or a symbolic link"), .ioError, .software,
        ],
        "bundle redis": [
            .ok("the bundle was written"), .usage, .dataErrorPKI, .noPKI, .unavailableKey,
            .cantCreate.because("OUT or OUT/server is a file or a symbolic link"), .ioError, .software,
        ],
        "export": [.ok("help shown"), .usage],
        "export pkcs12": [
            .ok("the PKCS#12 file was written"), .usage.because("an unknown option, or no password file"),
            .dataErrorPKI, .noPKI.because("no CA, no certificate NAME, or no password file"), .unavailableKey,
            .cantCreate.because("FILE exists already (use --force)"), .ioError, .software,
        ],
        "inspect": [.ok("certificates shown"), .usage, .dataError, .noInput, .unavailable, .ioError, .software],
        "audit": [
            .ok("every certificate ok"), .no("some certificate in a warn stage"),
            ExitStatus(2, "some certificate expired or expiring today, or any finding"),
            ExitStatus(3, "an input could not be read or held no certificate, and nothing worse"),
            .usage, .ioError.because("the report cannot be written (--output)"),
        ],
        "verify": [.ok("help shown"), .usage],
        "verify chain": [
            .ok("valid"), .no("invalid or malformed (the reasons on stderr)"), .usage,
            .dataError.because("a file holds no certificate"), .noInput, .unavailable, .ioError, .software,
        ],
        "verify bundle": [
            .ok("fit to ship"), .no("unfit (one line per problem on stderr)"), .usage,
            .dataError.because("--server-cert is not a certificate"), .noInput,
            .unavailable.because("--server-cert holds a PEM form dbpki does not read"), .ioError, .software,
        ],
        "version": [.ok("versions shown"), .usage],
    ]

    /// The same status with a meaning particular to one command.
    func because(_ meaning: String) -> ExitStatus {
        let kind = self.meaning.prefix { $0 != ":" }
        return ExitStatus(code, "\(kind): \(meaning)")
    }

    /// The statuses of the command at `path` ("ca retire-old").
    static func of(_ path: String) -> [ExitStatus] {
        guard let statuses = table[path] else { preconditionFailure("no exit statuses for 'dbpki \(path)'") }
        return statuses.sorted { $0.code < $1.code }
    }

    /// What each code means across dbpki, for the table in `dbpki --help` and dbpki(1).
    static let generalMeanings: [Int32: String] = [
        0: "success",
        1: "the answer is no: invalid, unfit, refused, problems (audit: warning)",
        2: "audit: a certificate expired, expiring today, or with a finding",
        3: "audit: an input could not be read, or no certificate was found",
        64: "usage: an unknown option, a missing or refused value",
        65: "bad data: an input or a PKI file that does not decode or match",
        66: "no input: a file, a CA or a certificate NAME that does not exist",
        69: "unavailable: a form or feature dbpki or the engine does not support",
        70: "internal error: an engine failure dbpki does not expect",
        73: "cannot create: it exists already, or the output is not a folder",
        74: "I/O error: a file or the PKI directory cannot be read or written",
    ]

    /// Every code any command uses, with its general meaning: one table for all of dbpki (each
    /// command's own --help lists the codes it uses, with what they mean for it).
    static var overview: String {
        let codes = Set(table.values.flatMap { $0.map(\.code) }).sorted()
        return "Exit statuses across dbpki (each command's --help lists the ones it uses):\n"
            + codes.map { code in
                "  \(String(code).padding(toLength: 4, withPad: " ", startingAt: 0))\(generalMeanings[code] ?? "")"
            }.joined(separator: "\n")
    }

    /// The "Exit status:" block each command's discussion ends with, after a blank line; one line per
    /// status, each short enough not to wrap in an 80-column `--help`.
    static func help(_ path: String) -> String {
        "\nExit status:\n"
            + of(path).map { "  \(String($0.code).padding(toLength: 4, withPad: " ", startingAt: 0))\($0.meaning)" }
            .joined(separator: "\n")
    }
}
