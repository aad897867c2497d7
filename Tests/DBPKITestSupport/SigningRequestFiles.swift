import DBPKI
import DBPKIGnuTLS
import DBPKIOpenSSL
import Foundation

/// Certificate requests as a database host would hand them over, written to a scratch folder:
/// good ones and each kind `dbpki sign` must refuse. Parameters are plain strings so CLI tests
/// need not import the core.
public enum SigningRequestFiles {
    /// What to make.
    public enum Kind: Sendable {
        /// A good request (its key of `keyType`, such as `ecdsa-p256`).
        case good(keyType: String)
        /// A request whose requested DNS name was changed after signing: its signature fails.
        case tampered
        /// A request for an RSA-1024 key.
        case weakRSA
        /// A request for a P-192 key (made by openssl req).
        case weakEC
        /// A request asking for a CA certificate (basicConstraints cA TRUE).
        case ca
    }

    /// Writes `NAME.csr` (PEM, or DER with `der`) and, where a key was made, `NAME.key` (PEM PKCS#8,
    /// 0600); returns the request's path. The request asks for CN=`subjectCN` and the given names.
    @discardableResult
    public static func write(
        _ kind: Kind, name: String, in scratch: ScratchFolder, engine: String = "openssl",
        subjectCN: String = "requested-by-host", dns: [String] = ["db1.example.com"], ips: [String] = [],
        emails: [String] = [], der: Bool = false
    ) throws -> String {
        let backend: any PKIBackend = engine == "gnutls" ? GnuTLSBackend() : OpenSSLBackend()
        let names: [SubjectAlternativeName] =
            dns.map { .dns($0) } + ips.compactMap(IPAddress.init).map { .ip($0) } + emails.map { .email($0) }
        let template = SigningRequestTemplate(
            subject: DistinguishedName([.commonName(subjectCN)]), subjectAlternativeNames: names,
            requestsCA: { if case .ca = kind { true } else { false } }())
        var request: [UInt8]
        switch kind {
        case .weakEC:
            request = TestVectors.p192Request
        case .weakRSA:
            let key = try backend.importPrivateKey(der: TestVectors.pkcs1RSA1024, format: .pkcs1, passphrase: nil)
            request = try backend.createSigningRequest(template, key: key)
        case .good, .ca:
            var type = KeyType.ecdsaP256
            if case .good(let keyType) = kind { type = KeyType(rawValue: keyType) ?? .ecdsaP256 }
            let key = try backend.generatePrivateKey(type)
            _ = try scratch.write(name + ".key", PEM.encode(label: "PRIVATE KEY", der: key.pkcs8DER))
            chmod(scratch.file(name + ".key"), 0o600)
            request = try backend.createSigningRequest(template, key: key)
        case .tampered:
            let key = try backend.generatePrivateKey(.ecdsaP256)
            request = try backend.createSigningRequest(template, key: key)
            let target = Array((dns.first ?? "db1.example.com").utf8)
            guard
                let at = request.indices.last(where: {
                    Array(request[$0..<min($0 + target.count, request.count)]) == target
                })
            else { throw PKIError(.invalidArgument, "a tampered request needs a DNS name to change") }
            request[at] ^= 0x01
        }
        return try der
            ? scratch.write(name + ".der", request)
            : scratch.write(name + ".csr", PEM.encode(label: "CERTIFICATE REQUEST", der: request))
    }
}
