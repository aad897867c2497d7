import ArgumentParser
import DBPKI

/// `--backend openssl|gnutls`, shared by every command that runs on one engine.
struct EngineOptions: ParsableArguments {
    @Option(help: "The crypto engine: openssl or gnutls. Files made with one are used by the other unchanged.")
    var backend: EngineChoice = .openssl
}

extension KeyType: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
