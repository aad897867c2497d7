import ArgumentParser
import DBPKI

/// `--key-password-file F`: the password of a certificate's own key (`issued/NAME.key`), kept
/// apart from the CA key's (`--password-file`) because it travels with the key to a database
/// host. Read as `--password-file` is (first line; missing 66, empty 64, others-readable
/// warned), else asked on a terminal, else none; no environment variable names it.
struct KeyPasswordOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A file whose first line is the password of the certificate's encrypted key (default: asked on a "
                + "terminal).", valueName: "file"),
        completion: .file())
    var keyPasswordFile: String?

    /// Where an existing certificate key's password comes from (a prompt only when one is encrypted).
    func source(prompt: Bool = true) throws -> PasswordSource {
        try PasswordOption.source(file: keyPasswordFile, prompt: prompt ? "Password of the certificate's key: " : nil)
    }

    /// The password a new certificate key is encrypted with, had now.
    func passwordForNewKey() throws -> Password {
        try PasswordOption.newPassword(
            file: keyPasswordFile, prompt: "Password for the new certificate key: ", remedy: Remedy(.giveKeyPassword))
    }
}
