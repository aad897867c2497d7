/// Hash functions dbpki asks an engine for (fingerprints, key identifiers, signatures).
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    case sha1 = "sha1"
    case sha256 = "sha256"
    case sha384 = "sha384"
    case sha512 = "sha512"
}
