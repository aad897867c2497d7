/// A private key, held as unencrypted PKCS#8 DER so that either engine can use it.
///
/// Its `description` never shows key material, so a key that ends up in a log
/// or an error message stays secret.
public struct PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The PKCS#8 `PrivateKeyInfo` DER encoding.
    public let pkcs8DER: [UInt8]
    /// The kind and size of the key.
    public let publicKeyDescription: PublicKeyDescription

    /// Wraps PKCS#8 DER that an engine produced or checked.
    public init(pkcs8DER: [UInt8], publicKeyDescription: PublicKeyDescription) {
        self.pkcs8DER = pkcs8DER
        self.publicKeyDescription = publicKeyDescription
    }

    public var description: String { "PrivateKey(\(publicKeyDescription), redacted)" }
    public var debugDescription: String { description }
}

extension PrivateKey {
    /// Reads a private key through `engine`, with dbpki's limits applied first: an encrypted
    /// key whose key derivation asks for more work than ``EncryptedKeyCost`` allows is refused
    /// before any engine derives anything, with the same words on every engine. Every key the
    /// core reads comes through here.
    public init(der: [UInt8], format: PrivateKeyFormat, passphrase: String?, using engine: any PKIBackend) throws {
        if format == .encryptedPKCS8 { try EncryptedKeyCost.check(der) }
        self = try engine.importPrivateKey(der: der, format: format, passphrase: passphrase)
    }
}

/// How a private key is encoded, as told by its PEM label (or assumed for DER).
public enum PrivateKeyFormat: String, Sendable, CaseIterable {
    /// PKCS#8 `PrivateKeyInfo` (`-----BEGIN PRIVATE KEY-----`).
    case pkcs8
    /// PKCS#8 `EncryptedPrivateKeyInfo` (`-----BEGIN ENCRYPTED PRIVATE KEY-----`).
    case encryptedPKCS8
    /// PKCS#1 `RSAPrivateKey` (`-----BEGIN RSA PRIVATE KEY-----`).
    case pkcs1
    /// SEC 1 `ECPrivateKey` (`-----BEGIN EC PRIVATE KEY-----`).
    case sec1

    /// The PEM label this format is written under.
    public var pemLabel: String {
        switch self {
        case .pkcs8: "PRIVATE KEY"
        case .encryptedPKCS8: "ENCRYPTED PRIVATE KEY"
        case .pkcs1: "RSA PRIVATE KEY"
        case .sec1: "EC PRIVATE KEY"
        }
    }

    /// The format a PEM label names; nil for a label that is not a private key.
    public init?(pemLabel: String) {
        guard let format = Self.allCases.first(where: { $0.pemLabel == pemLabel }) else { return nil }
        self = format
    }
}

extension PrivateKeyFormat {
    /// The format whose outline `der` has, judged by its ASN.1 shape alone (no engine, no
    /// password): how a download checker names a private key that lost its PEM armour.
    /// Only the outer structure is looked at, so a damaged key is still recognised.
    public init?(outlineOf der: [UInt8]) {
        var outer = DERReader(der[...])
        guard let sequence = try? outer.read(tag: 0x30) else { return nil }
        var reader = DERReader(sequence.content)
        var elements = [DERReader.Element]()
        while !reader.isAtEnd, elements.count < 10, let element = try? reader.read() { elements.append(element) }
        let tags = elements.map(\.tag)
        func smallInteger(_ element: DERReader.Element) -> Int? {
            element.tag == 0x02 && element.content.count == 1 ? Int(element.content.first!) : nil
        }
        if tags.count >= 3, let version = smallInteger(elements[0]), version <= 1, tags[1] == 0x30, tags[2] == 0x04 {
            self = .pkcs8
        } else if tags.count == 2, tags == [0x30, 0x04] {
            self = .encryptedPKCS8
        } else if tags.count >= 9, smallInteger(elements[0]) != nil, tags.prefix(9).allSatisfy({ $0 == 0x02 }) {
            self = .pkcs1
        } else if tags.count >= 2, smallInteger(elements[0]) == 1, tags[1] == 0x04 {
            self = .sec1
        } else {
            return nil
        }
    }
}
