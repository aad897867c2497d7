/// The key types dbpki generates, named as on the command line.
public enum KeyType: String, CaseIterable, Sendable, Codable {
    case ecdsaP256 = "ecdsa-p256"
    case ecdsaP384 = "ecdsa-p384"
    case rsa2048 = "rsa-2048"
    case rsa3072 = "rsa-3072"
    case rsa4096 = "rsa-4096"
    case ed25519 = "ed25519"

    /// The public key this type produces, as ``PublicKeyDescription`` reports it.
    public var publicKeyDescription: PublicKeyDescription {
        switch self {
        case .ecdsaP256: PublicKeyDescription(algorithm: .ec, bits: 256, curve: "P-256")
        case .ecdsaP384: PublicKeyDescription(algorithm: .ec, bits: 384, curve: "P-384")
        case .rsa2048: PublicKeyDescription(algorithm: .rsa, bits: 2048, curve: nil)
        case .rsa3072: PublicKeyDescription(algorithm: .rsa, bits: 3072, curve: nil)
        case .rsa4096: PublicKeyDescription(algorithm: .rsa, bits: 4096, curve: nil)
        case .ed25519: PublicKeyDescription(algorithm: .ed25519, bits: 256, curve: nil)
        }
    }

    /// Parses a command-line name such as `ecdsa-p256`, with an error that lists the choices.
    public static func parse(_ text: String) throws -> KeyType {
        guard let type = KeyType(rawValue: text.lowercased()) else {
            let choices = allCases.map(\.rawValue).joined(separator: ", ")
            throw PKIError(.invalidArgument, "unknown key type '\(text)' (choose one of: \(choices))")
        }
        return type
    }
}
