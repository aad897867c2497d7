import DBPKI

extension EngineOptions {
    /// Opens the PKI directory under its lock, telling the user on stderr when it has to
    /// wait for another dbpki process and what opening repaired or adopted.
    func openStore(
        _ dir: String, create: Bool = false, strictRecovery: Bool = true, keyStore: KeyStore = .plainFiles
    ) throws -> PKIStore {
        let directory = PKIDirectory(dir)
        let store = try PKIStore(
            directory, backend: backend.makeBackend(), keyStore: keyStore,
            options: PKIStore.Options(
                create: create,
                onWait: {
                    CLIOutput.stderr("dbpki: waiting for \(directory.lockPath): another dbpki process is using \(dir)")
                }, strictRecovery: strictRecovery))
        for notice in store.notices { CLIOutput.stderr("dbpki: " + notice) }
        return store
    }
}
