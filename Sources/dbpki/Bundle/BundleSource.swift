import DBPKI

/// Reads what a bundle needs from a PKI directory, through its store: the server
/// certificate, its key, the CA certificates clients must trust and any client
/// certificates, each checked against the inventory before anything is written.
struct BundleSource {
    /// Held, with the PKI's lock, until the bundle is written: a bundle never mixes files
    /// from before and after a renewal or rollover.
    let store: PKIStore
    let material: BundleMaterial

    var certificatePEM: String { material.serverChainPEM }
    var keyPEM: String { material.serverKeyPEM }
    var trustedCAsPEM: String { material.trustedCAsPEM }

    init(engine: EngineOptions, dir: String, name: String, clients: [String] = []) throws {
        store = try engine.openStore(dir)
        material = try store.bundleMaterial(server: name, clients: clients)
    }
}
