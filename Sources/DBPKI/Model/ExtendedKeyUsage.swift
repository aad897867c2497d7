/// Well-known extendedKeyUsage purpose OIDs.
public enum ExtendedKeyUsage {
    /// id-kp-serverAuth.
    public static let serverAuth = "1.3.6.1.5.5.7.3.1"
    /// id-kp-clientAuth.
    public static let clientAuth = "1.3.6.1.5.5.7.3.2"
    /// anyExtendedKeyUsage.
    public static let any = "2.5.29.37.0"

    /// A short name for a known OID, or the OID itself.
    public static func name(of oid: String) -> String {
        switch oid {
        case serverAuth: "serverAuth"
        case clientAuth: "clientAuth"
        case any: "anyExtendedKeyUsage"
        case "1.3.6.1.5.5.7.3.3": "codeSigning"
        case "1.3.6.1.5.5.7.3.4": "emailProtection"
        case "1.3.6.1.5.5.7.3.8": "timeStamping"
        case "1.3.6.1.5.5.7.3.9": "OCSPSigning"
        default: oid
        }
    }
}
