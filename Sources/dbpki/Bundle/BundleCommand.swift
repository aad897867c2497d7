import ArgumentParser

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write what a database's clients download and what its server needs.",
        subcommands: [MongoDBBundleCommand.self, RedisBundleCommand.self]
    )
}
