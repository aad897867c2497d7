/// What kind of public key a certificate or private key holds, and how strong it is.
public struct PublicKeyDescription: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The public key algorithm family.
    public struct Algorithm: Hashable, Sendable, Codable, CustomStringConvertible {
        /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, or the algorithm OID for anything else.
        public let name: String
        /// An algorithm by name, for one the static members do not cover.
        public init(name: String) { self.name = name }

        public static let rsa = Algorithm(name: "RSA")
        public static let ec = Algorithm(name: "EC")
        public static let ed25519 = Algorithm(name: "Ed25519")
        public static let ed448 = Algorithm(name: "Ed448")
        public static let dsa = Algorithm(name: "DSA")

        public var description: String { name }
    }

    /// The algorithm family.
    public var algorithm: Algorithm
    /// Key size in bits: the modulus for RSA/DSA, the curve's field size for EC and EdDSA.
    public var bits: Int
    /// The NIST name of the curve (`P-256`, `P-384`, `P-521`) for EC keys; nil otherwise.
    public var curve: String?

    /// A description as an engine reads it from a key or certificate.
    public init(algorithm: Algorithm, bits: Int, curve: String?) {
        self.algorithm = algorithm
        self.bits = bits
        self.curve = curve
    }

    public var description: String {
        if let curve { return "\(algorithm) \(curve)" }
        if algorithm == .ed25519 || algorithm == .ed448 { return algorithm.name }
        return "\(algorithm) \(bits)"
    }

    /// True for a key too weak to trust: RSA (or RSA-PSS) below 2048 bits, EC on a curve
    /// below P-256 (P-192, P-224), or any DSA key (FIPS 186-5 no longer allows DSA
    /// signatures at any size). One rule, behind both the audit's `weak-key` finding and
    /// the refusal to sign a request for such a key.
    public var isWeak: Bool {
        switch algorithm {
        case .rsa, .init(name: "1.2.840.113549.1.1.10"): bits < 2048
        case .ec: bits < 256
        case .dsa: true
        default: false
        }
    }
}
