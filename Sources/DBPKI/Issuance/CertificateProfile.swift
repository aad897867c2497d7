import Foundation

/// The kinds of certificate dbpki issues and what each one carries. The core
/// decides these once; both engines encode the same extensions from them.
public struct CertificateProfile: Sendable, Hashable {
    /// What the certificate is for.
    public enum Role: String, Sendable, Hashable {
        /// A self-signed root CA.
        case rootCA = "root-ca"
        /// A CA signed by another CA.
        case intermediateCA = "intermediate-ca"
        /// A TLS server (serverAuth).
        case server
        /// A TLS client (clientAuth).
        case client
        /// A cluster member (serverAuth and clientAuth): a MongoDB replica-set or sharded-cluster
        /// member is a server to its clients and peers and a client to its peers. Recorded with
        /// kind `server` and profile `member`.
        case member
    }

    /// The role.
    public var role: Role
    /// The subject.
    public var subject: DistinguishedName
    /// SANs (servers need at least one; clients may have none).
    public var subjectAlternativeNames: [SubjectAlternativeName]
    /// pathLenConstraint for CAs; nil for unlimited.
    public var pathLengthConstraint: Int?
    /// Validity in days from issuance.
    public var days: Int

    /// Default validity of a root CA: 20 years, like the managed services' CAs.
    public static let defaultCADays = 7300
    /// Default validity of an intermediate CA: 10 years, never past its parent CA.
    public static let defaultIntermediateDays = 3650
    /// Default validity of a leaf: 825 days, the longest a public TLS leaf had.
    public static let defaultLeafDays = 825
    /// How far notBefore is set into the past, to absorb clock skew between machines.
    public static let backdate: TimeInterval = 60
    /// The most subject alternative names a certificate gets. Database servers need a few;
    /// clients and TLS stacks handle hundreds, and past a thousand a certificate is a
    /// mistake (or a denial of service on whoever parses it), so issuance refuses it.
    public static let maximumSubjectAlternativeNames = 1000

    /// SANs from `--dns`/`--ip` style lists as they go into a certificate: a trailing dot
    /// (`db1.example.com.`, the absolute DNS form) dropped, since certificates and host
    /// name checks use the relative form and a SAN with the dot matches no client; and each
    /// name once (DNS names compared without case), in the order first given.
    public static func subjectAlternativeNames(dns: [String], ips: [IPAddress]) -> [SubjectAlternativeName] {
        var seenNames = Set<String>()
        var seenAddresses = Set<IPAddress>()
        var names = [SubjectAlternativeName]()
        for name in dns {
            let relative = name.hasSuffix(".") && name.count > 1 ? String(name.dropLast()) : name
            if seenNames.insert(relative.lowercased()).inserted { names.append(.dns(relative)) }
        }
        for address in ips where seenAddresses.insert(address).inserted { names.append(.ip(address)) }
        return names
    }

    /// A root CA profile.
    /// `under` holds the attributes put before the CN (O, OU, ...), in encoded order.
    public static func rootCA(
        name: String, days: Int = defaultCADays, under: DistinguishedName = DistinguishedName([])
    ) -> CertificateProfile {
        CertificateProfile(
            role: .rootCA, subject: under.withCommonName(name), subjectAlternativeNames: [], days: days)
    }

    /// An intermediate CA profile.
    /// `under` holds the attributes put before the CN (O, OU, ...), in encoded order.
    public static func intermediateCA(
        name: String, pathLength: Int? = 0, days: Int = defaultIntermediateDays,
        under: DistinguishedName = DistinguishedName([])
    ) -> CertificateProfile {
        CertificateProfile(
            role: .intermediateCA, subject: under.withCommonName(name), subjectAlternativeNames: [],
            pathLengthConstraint: pathLength, days: days)
    }

    /// A TLS server profile: CN is the first name, every name is a SAN.
    public static func server(
        name: String, dns: [String], ips: [IPAddress], days: Int = defaultLeafDays,
        under: DistinguishedName = DistinguishedName([])
    ) -> CertificateProfile {
        CertificateProfile(
            role: .server, subject: under.withCommonName(name),
            subjectAlternativeNames: subjectAlternativeNames(dns: dns, ips: ips), days: days)
    }

    /// A TLS client profile.
    public static func client(
        name: String, dns: [String] = [], ips: [IPAddress] = [], days: Int = defaultLeafDays,
        under: DistinguishedName = DistinguishedName([])
    ) -> CertificateProfile {
        CertificateProfile(
            role: .client, subject: under.withCommonName(name),
            subjectAlternativeNames: subjectAlternativeNames(dns: dns, ips: ips), days: days)
    }

    /// A cluster member profile (serverAuth and clientAuth): CN is the name, every name a SAN.
    public static func member(
        name: String, dns: [String], ips: [IPAddress], days: Int = defaultLeafDays,
        under: DistinguishedName = DistinguishedName([])
    ) -> CertificateProfile {
        CertificateProfile(
            role: .member, subject: under.withCommonName(name),
            subjectAlternativeNames: subjectAlternativeNames(dns: dns, ips: ips), days: days)
    }

    /// Makes a profile.
    public init(
        role: Role, subject: DistinguishedName, subjectAlternativeNames: [SubjectAlternativeName],
        pathLengthConstraint: Int? = nil, days: Int
    ) {
        self.role = role
        self.subject = subject
        self.subjectAlternativeNames = subjectAlternativeNames
        self.pathLengthConstraint = pathLengthConstraint
        self.days = days
    }

    /// True for root and intermediate CAs.
    public var isCA: Bool { role == .rootCA || role == .intermediateCA }

    /// keyUsage for this role and key: CAs sign certificates and CRLs; RSA leaves
    /// may also encipher keys (TLS 1.2 RSA key exchange); EC and EdDSA leaves only sign.
    public func keyUsage(for key: PublicKeyDescription) -> KeyUsage {
        if isCA { return [.keyCertSign, .cRLSign, .digitalSignature] }
        return key.algorithm == .rsa ? [.digitalSignature, .keyEncipherment] : [.digitalSignature]
    }

    /// extendedKeyUsage for this role.
    public var extendedKeyUsage: [String] {
        switch role {
        case .rootCA, .intermediateCA: []
        case .server: [ExtendedKeyUsage.serverAuth]
        case .client: [ExtendedKeyUsage.clientAuth]
        case .member: [ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth]
        }
    }
}
