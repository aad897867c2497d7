import Foundation

/// The one policy both engines are asked to apply. The core fills it in; an
/// engine translates it into its own flags and must not add rules of its own.
///
/// Rules every engine applies whatever the fields say (the fixed part of the policy):
/// - RFC 5280 path validation to one of the given trust anchors (any of them ends a
///   path, root or not). The anchor is checked like every other certificate on the
///   path (validity, CA flag, path length, profile), except its own signature and its
///   extendedKeyUsage.
/// - Every issuing certificate must be a CA (basicConstraints cA = true); path
///   length constraints are honoured; unknown critical extensions are rejected.
/// - 112-bit security: signatures with SHA-1 or MD5 and RSA keys under 2048 bits are
///   rejected below the trust anchor.
/// - Name matching follows RFC 6125: a DNS name matches only dNSName SANs
///   (never the subject CN), a wildcard only as the whole left-most label; an
///   IP address matches only iPAddress SANs.
/// - CRLs: when any are given, each certificate whose issuer has a CRL among them
///   is checked against it; a certificate whose issuer has none is not failed for that.
/// - A certificate is valid from notBefore to notAfter inclusive, in whole seconds.
///
/// ``ChainVerifier`` then applies dbpki's own profile rules (``PathRule``) to the path
/// each engine judged, so that rules the engines disagree on are decided once.
public struct VerificationPolicy: Sendable, Hashable {
    /// What the leaf certificate must be good for.
    public enum Purpose: String, Sendable, Hashable, CaseIterable {
        /// TLS server authentication: the leaf, when it has an EKU, must include serverAuth.
        case server
        /// TLS client authentication: the leaf, when it has an EKU, must include clientAuth.
        case client

        /// The EKU OID this purpose requires.
        public var extendedKeyUsageOID: String {
            switch self {
            case .server: ExtendedKeyUsage.serverAuth
            case .client: ExtendedKeyUsage.clientAuth
            }
        }
    }

    /// The name the leaf must be valid for.
    public enum PeerIdentity: Sendable, Hashable, CustomStringConvertible {
        /// A DNS host name (ASCII, already IDNA-encoded if needed).
        case dns(String)
        /// An IP address.
        case ip(IPAddress)

        public var description: String {
            switch self {
            case .dns(let name): name
            case .ip(let address): address.description
            }
        }
    }

    /// The time at which every certificate must be valid.
    public var time: Date
    /// What the leaf must be good for; nil checks no purpose.
    public var purpose: Purpose?
    /// The name the leaf must match; nil checks no name.
    public var peer: PeerIdentity?
    /// The most intermediate CA certificates a path may have (the leaf and the
    /// trust anchor do not count); nil for the default of 8.
    public var maxIntermediates: Int?

    /// Makes a policy; by default: now, server purpose, no name, default depth.
    public init(
        time: Date = Date(), purpose: Purpose? = .server, peer: PeerIdentity? = nil, maxIntermediates: Int? = nil
    ) {
        self.time = time
        self.purpose = purpose
        self.peer = peer
        self.maxIntermediates = maxIntermediates
    }

    /// The depth used when ``maxIntermediates`` is nil.
    public static let defaultMaxIntermediates = 8

    /// The values ``maxIntermediates`` may take. Both engines handle far less than `Int.max`
    /// (OpenSSL refuses depths past a few hundred, GnuTLS accepts any), so the core checks one
    /// range before asking either; no real PKI has more than a handful of intermediates.
    public static let maxIntermediatesRange = 0...64
}
