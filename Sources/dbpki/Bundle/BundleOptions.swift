import ArgumentParser

/// What every `bundle` subcommand takes: which certificate, from where, to where.
struct BundleOptions: ParsableArguments {
    @Argument(help: "The server certificate's name (as given to dbpki issue).")
    var name: String

    @OptionGroup var pki: PKIDirectoryOption

    @Option(help: "The output directory.", completion: .directory)
    var out: String
}
