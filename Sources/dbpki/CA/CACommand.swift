import ArgumentParser

struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Roll the root CA over without an outage (rollover, status, retire-old); change its key's password.",
        discussion: """
            A CA change in five steps, so that no client loses its connection:

            1. dbpki ca rollover makes a new root CA the issuing CA (PKI/ca.crt, ca.key) and keeps the old one as \
            PKI/ca-old.crt. From then on every bundle carries both (the merged bundle: MongoDB-CA.crt, the Redis \
            zip's ca.crt, server/ca.crt).
            2. Publish the merged bundle (dbpki bundle ...) and have every client download it before step 3.
            3. Re-issue each server and client certificate under the new CA (dbpki renew NAME), write the server \
            files again and reload the servers. dbpki ca status lists what is still signed by the old CA.
            4. dbpki ca retire-old takes the old CA out of the bundles (it refuses while certificates are still \
            signed by it).
            5. Publish the new-only bundle.

            Examples:
              dbpki ca rollover --dir pki
              dbpki bundle redis db1 --dir pki --out merged
              dbpki ca status --dir pki
              dbpki renew db1 --dir pki
              dbpki ca retire-old --dir pki
              dbpki bundle redis db1 --dir pki --out new-only

            """ + ExitStatus.help("ca"),
        subcommands: [
            CARolloverCommand.self, CAStatusCommand.self, CARetireOldCommand.self, CAChangePasswordCommand.self,
        ]
    )
}
