import Foundation

/// The record `dbpki inspect --json` prints for one certificate (stable field names).
public struct CertificateSummary: Codable, Sendable {
    public var location: String
    public var subject: String
    public var issuer: String
    public var serial: String
    public var notBefore: String
    public var notAfter: String
    public var daysLeft: Int
    public var key: String
    public var signatureAlgorithm: String
    public var isCA: Bool
    public var pathLength: Int?
    public var subjectAlternativeNames: [String]
    public var keyUsage: [String]?
    public var extendedKeyUsage: [String]?
    public var fingerprintSHA256: String

    enum CodingKeys: String, CodingKey {
        case location, subject, issuer, serial, key
        case notBefore = "not_before"
        case notAfter = "not_after"
        case daysLeft = "days_left"
        case signatureAlgorithm = "signature_algorithm"
        case isCA = "is_ca"
        case pathLength = "path_length"
        case subjectAlternativeNames = "subject_alt_names"
        case keyUsage = "key_usage"
        case extendedKeyUsage = "extended_key_usage"
        case fingerprintSHA256 = "fingerprint_sha256"
    }

    /// Whole days from `time` to notAfter, rounded down (negative once expired).
    public static func daysLeft(notAfter: Date, at time: Date) -> Int {
        Int((notAfter.timeIntervalSince(time) / 86_400).rounded(.down))
    }

    /// Summarizes a parsed certificate found at `location`, with days left at `time`.
    public init(_ info: CertificateInfo, location: String, at time: Date) {
        self.location = location
        subject = info.subject
        issuer = info.issuer
        serial = info.serialHex
        notBefore = RFC3339.format(info.notBefore)
        notAfter = RFC3339.format(info.notAfter)
        daysLeft = Self.daysLeft(notAfter: info.notAfter, at: time)
        key = info.publicKey.description
        signatureAlgorithm = info.signatureAlgorithmName
        isCA = info.isCA
        pathLength = info.pathLengthConstraint
        subjectAlternativeNames = info.subjectAlternativeNames.map(\.description)
        keyUsage = info.keyUsage?.names
        extendedKeyUsage = info.extendedKeyUsage?.map(ExtendedKeyUsage.name(of:))
        fingerprintSHA256 = info.fingerprintHex
    }
}
