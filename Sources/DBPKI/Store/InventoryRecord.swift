import Foundation
import GRDB

/// One certificate in the inventory: a CA or a leaf dbpki issued, with where its files
/// are and what became of it.
public struct InventoryRecord: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "certificate"
    public static let databaseDateEncodingStrategy = DatabaseDateEncodingStrategy.timeIntervalSince1970
    public static let databaseDateDecodingStrategy = DatabaseDateDecodingStrategy.timeIntervalSince1970

    /// What the certificate is.
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        /// A root CA of this PKI.
        case ca
        /// A TLS server certificate.
        case server
        /// A TLS client certificate.
        case client
    }

    /// What became of it.
    public enum Status: String, Codable, Hashable, Sendable, CaseIterable {
        /// In use: the certificate at its name (or a CA that still signs or is still trusted).
        case active
        /// Replaced by a renewal (or, for a CA, retired); kept under `history/`.
        case superseded
        /// Revoked with `dbpki revoke`; listed on its CA's CRL.
        case revoked
    }

    /// A CA's place in a rollover.
    public enum CARole: String, Codable, Hashable, Sendable, CaseIterable {
        /// The issuing CA (`ca.crt`).
        case current
        /// The previous CA during a rollover (`ca-old.crt`): still trusted, no longer issuing.
        case old
        /// A CA taken out of the bundles by `ca retire-old` (kept under `history/`).
        case retired
    }

    /// Row id.
    public var id: Int64?
    /// The certificate's name: NAME for leaves, the common name for CAs.
    public var name: String
    /// CA, server or client.
    public var kind: Kind
    /// Serial as lowercase hex, no colons, no leading zeros.
    public var serial: String
    /// Issuer (RFC 4514).
    public var issuer: String
    /// SHA-256 fingerprint of the issuing CA's certificate (a root's own).
    public var issuerFingerprint: String?
    /// Subject (RFC 4514).
    public var subject: String
    /// Subject alternative names as `DNS:...` / `IP:...`.
    public var subjectAlternativeNames: [String]
    /// The profile it was issued under: `root-ca`, `server` or `client`.
    public var profile: String
    /// The key, such as `EC P-256`.
    public var keyType: String
    /// notBefore.
    public var notBefore: Date
    /// notAfter.
    public var notAfter: Date
    /// SHA-256 fingerprint of the certificate (lowercase hex).
    public var fingerprint: String
    /// active, superseded or revoked.
    public var status: Status
    /// For CAs: current, old or retired.
    public var caRole: CARole?
    /// RFC 5280 reason name when revoked.
    public var revocationReason: String?
    /// When it was revoked.
    public var revokedAt: Date?
    /// When a renewal (or retire-old) replaced it.
    public var supersededAt: Date?
    /// The certificate file, relative to the PKI directory.
    public var certificatePath: String
    /// The key file, relative to the PKI directory; nil once the key is no longer kept.
    public var keyPath: String?
    /// True for a leaf signed from a request (`sign`): its private key never was in the PKI
    /// (``keyPath`` is nil), so nothing may expect one, and renewing keeps its public key.
    public var keyHeldElsewhere: Bool = false
    /// When dbpki recorded it.
    public var recordedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, kind, serial, issuer, subject, profile, fingerprint, status
        case issuerFingerprint = "issuer_fingerprint"
        case subjectAlternativeNames = "sans"
        case keyType = "key_type"
        case notBefore = "not_before"
        case notAfter = "not_after"
        case caRole = "ca_role"
        case revocationReason = "revocation_reason"
        case revokedAt = "revoked_at"
        case supersededAt = "superseded_at"
        case certificatePath = "certificate_path"
        case keyPath = "key_path"
        case keyHeldElsewhere = "key_elsewhere"
        case recordedAt = "recorded_at"
    }

    /// A record for a parsed certificate.
    public init(
        certificate info: CertificateInfo, name: String, kind: Kind, profile: String, issuerFingerprint: String?,
        status: Status = .active, caRole: CARole? = nil, certificatePath: String, keyPath: String?,
        keyHeldElsewhere: Bool = false, recordedAt: Date
    ) {
        self.name = name
        self.kind = kind
        self.serial = info.serialHex
        self.issuer = info.issuer
        self.issuerFingerprint = issuerFingerprint
        self.subject = info.subject
        self.subjectAlternativeNames = info.subjectAlternativeNames.map(\.description)
        self.profile = profile
        self.keyType = info.publicKey.description
        self.notBefore = info.notBefore
        self.notAfter = info.notAfter
        self.fingerprint = info.fingerprintHex
        self.status = status
        self.caRole = caRole
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.keyHeldElsewhere = keyHeldElsewhere
        self.recordedAt = recordedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// True for an intermediate CA this PKI's CA signed for another PKI directory (`init
    /// --parent`): its key is kept there, not here, and it can be revoked here like a leaf.
    public var isSignedIntermediate: Bool {
        kind == .ca && caRole == nil && profile == CertificateProfile.Role.intermediateCA.rawValue
    }

    /// The serial's INTEGER content octets (a leading zero byte when the top bit is set).
    public var serialNumber: [UInt8] {
        let hex = serial.count % 2 == 0 ? serial : "0" + serial
        let bytes = Hex.decode(hex) ?? []
        return (bytes.first ?? 0) & 0x80 != 0 ? [0] + bytes : bytes
    }
}
