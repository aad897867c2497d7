import ArgumentParser

/// What every `bundle` subcommand takes: which certificate, from where, to where.
struct BundleOptions: ParsableArguments {
    @Argument(help: "The server certificate's name (as given to dbpki issue).")
    var name: String

    @Option(help: "The PKI directory.", completion: .directory)
    var dir: String

    @Option(help: "The output directory.", completion: .directory)
    var out: String
}
