import ArgumentParser
import Foundation

/// `--dir PKI`, which defaults to the environment variable `DBPKI_DIR`, so a script or a shell
/// session that works on one PKI names it once.
///
/// swift-argument-parser has no environment defaults: the option is optional and resolved here,
/// in the one place every PKI command reads it from.
struct PKIDirectoryOption: ParsableArguments {
    /// The variable `--dir` defaults to.
    static let environmentVariable = "DBPKI_DIR"

    @Option(help: "The PKI directory (default: the environment variable DBPKI_DIR).", completion: .directory)
    var dir: String?

    /// `DBPKI_DIR`, unless unset or empty.
    static var fromEnvironment: String? {
        ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `--dir`, else `DBPKI_DIR`; a usage error with neither.
    func path() throws -> String {
        guard let path = dir ?? Self.fromEnvironment else {
            throw ValidationError("--dir is required (or set \(Self.environmentVariable))")
        }
        return path
    }

    /// Fails early, before any other check of the command's values, as a missing `--dir` did
    /// when it was a required option.
    func check() throws { _ = try path() }
}
