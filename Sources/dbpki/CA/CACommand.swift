import ArgumentParser

struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Roll the root CA over without an outage: rollover, status, retire-old.",
        discussion: """
            A CA change in three steps, so that no client loses its connection:

            1. dbpki ca rollover makes a new root CA the issuing CA (PKI/ca.crt, ca.key) and keeps the old one as \
            PKI/ca-old.crt. From then on every bundle carries both (the merged bundle: MongoDB-CA.crt, the Redis \
            zip's ca.crt, server/ca.crt): hand it to every client.
            2. Re-issue each server and client certificate under the new CA (dbpki renew NAME) and reload the \
            servers. dbpki ca status lists what is still signed by the old CA.
            3. dbpki ca retire-old takes the old CA out of the bundles (it refuses while certificates are still \
            signed by it). Hand out the new-only bundle.

            Examples:
              dbpki ca rollover --dir pki
              dbpki ca status --dir pki
              dbpki renew db1 --dir pki
              dbpki ca retire-old --dir pki
            """,
        subcommands: [CARolloverCommand.self, CAStatusCommand.self, CARetireOldCommand.self]
    )
}
