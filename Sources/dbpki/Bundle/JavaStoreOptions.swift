import ArgumentParser
import DBPKI

/// `--java --password-file F` on both bundles: the download also gets PKCS#12 files that
/// Java's `KeyStore` loads (`javax.net.ssl.trustStore` / `keyStore`, type PKCS12), so a Java
/// team needs no `keytool -importcert` or `openssl pkcs12 -export` by hand.
struct JavaStoreOptions: ParsableArguments {
    @Flag(
        help: """
            Also write OUT/truststore.p12 (the CA certificates, as Java trustedCertEntry) and OUT/CLIENT.p12 \
            (key, certificate, chain; 0600) for each client certificate, protected with the --password-file password.
            """)
    var java = false

    @OptionGroup var password: PasswordFileOption

    /// `--java` needs a password; a password file without `--java` would protect nothing.
    func check() throws {
        if java {
            if password.path == nil { _ = try password.requiredPassword() }
        } else if password.passwordFile != nil {
            throw ValidationError("--password-file protects the Java stores: give --java too")
        }
    }

    /// Adds the Java stores of `source` to `files` when `--java` was given.
    func add(to files: inout BundleFiles, from source: BundleSource) throws {
        guard java else { return }
        let stores = try source.store.javaStoreFiles(for: source.material, password: try password.requiredPassword())
        for file in stores.files { files.add(file.relativePath, file.contents, mode: file.mode) }
    }
}
