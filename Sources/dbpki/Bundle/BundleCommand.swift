import ArgumentParser

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write what a database's clients download and what its server needs.",
        discussion: """
            Examples:
              dbpki bundle mongodb db1 --dir pki --out out --mongodb-version 4.2
              dbpki bundle redis cache1 --dir pki --out out --client-cert app
              dbpki bundle redis cache1 --dir pki --out out5 --redis-version 5.0

            """ + ExitStatus.help("bundle"),
        subcommands: [MongoDBBundleCommand.self, RedisBundleCommand.self]
    )
}
