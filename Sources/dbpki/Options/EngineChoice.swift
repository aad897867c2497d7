import ArgumentParser
import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL

/// `--backend openssl|gnutls`: the engine one command runs on.
enum EngineChoice: String, ExpressibleByArgument, CaseIterable {
    case openssl
    case gnutls

    /// Makes the engine; nothing is initialised until a command asks for it.
    func makeBackend() -> any PKIBackend {
        switch self {
        case .openssl: OpenSSLBackend()
        case .gnutls: GnuTLSBackend()
        }
    }
}

/// `--backend openssl|gnutls|both`, for commands that can cross-check.
enum CrossCheckChoice: String, ExpressibleByArgument, CaseIterable {
    case openssl
    case gnutls
    case both

    /// The engines to ask, in report order.
    func makeBackends() -> [any PKIBackend] {
        switch self {
        case .openssl: [OpenSSLBackend()]
        case .gnutls: [GnuTLSBackend()]
        case .both: [OpenSSLBackend(), GnuTLSBackend()]
        }
    }
}
