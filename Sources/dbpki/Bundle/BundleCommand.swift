import ArgumentParser

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write what a database's clients download and what its server needs.",
        discussion: """
            Before writing anything, every file a bundle ships is checked against the PKI's inventory, as \
            'dbpki doctor' checks it: ca.crt (and ca-old.crt during a rollover), issued/NAME.crt with its key \
            (which must match the certificate), and a client certificate with its key. A file that is not the \
            recorded one, a key of another certificate, or a revoked certificate is an error (exit 65) naming it.

            The files are written all or nothing: staged and synced inside OUT, then each renamed into place \
            over any older one. On any error (exit 74 for a full disk or a failing write) OUT is left as it \
            was. OUT and OUT/server must not be symbolic links (exit 73).

            Examples:
              dbpki bundle mongodb db1 --dir pki --out out --mongodb-version 4.2
              dbpki bundle redis cache1 --dir pki --out out --client-cert app
              dbpki bundle redis cache1 --dir pki --out out5 --redis-version 5.0

            """ + ExitStatus.help("bundle"),
        subcommands: [MongoDBBundleCommand.self, RedisBundleCommand.self]
    )
}
