import ArgumentParser

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Validate certificate chains and client downloads on one or both engines.",
        discussion: """
            Examples:
              dbpki verify chain pki/issued/db1.crt --trust pki/ca.crt --host db1.example.com --backend both
              dbpki verify bundle out/db1-crt.zip --server-cert pki/issued/db1.crt --host db1.example.com

            """ + ExitStatus.help("verify"),
        subcommands: [VerifyChainCommand.self, VerifyBundleCommand.self]
    )
}
