import ArgumentParser

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Validate certificate chains and client downloads on one or both engines.",
        subcommands: [VerifyChainCommand.self, VerifyBundleCommand.self]
    )
}
