/// Signature algorithm OIDs, compared by OID because the engines name them differently.
public enum SignatureAlgorithm {
    /// OID to readable name, for the algorithms dbpki reports on.
    public static let names: [String: String] = [
        "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10": "rsassaPss",
        "1.2.840.10045.4.1": "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
        "1.3.101.112": "Ed25519",
        "1.3.101.113": "Ed448",
        "1.2.840.10040.4.3": "dsa-with-SHA1",
    ]

    /// The readable name of a signature algorithm OID, or the OID itself.
    public static func name(of oid: String) -> String { names[oid] ?? oid }

    /// True for signatures over SHA-1 or MD5, which no verifier should trust.
    public static func isWeak(_ oid: String) -> Bool {
        ["1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5", "1.2.840.10045.4.1", "1.2.840.10040.4.3"].contains(oid)
    }
}
