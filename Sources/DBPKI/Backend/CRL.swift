import Foundation

/// One revoked certificate in a CRL.
public struct RevokedCertificate: Hashable, Sendable {
    /// The serial number's content octets, as in the certificate.
    public var serialNumber: [UInt8]
    /// When it was revoked.
    public var revocationDate: Date
    /// The CRLReason code (RFC 5280 5.3.1), when given.
    public var reason: RevocationReason?

    /// Makes a revoked-certificate entry.
    public init(serialNumber: [UInt8], revocationDate: Date, reason: RevocationReason? = nil) {
        self.serialNumber = serialNumber
        self.revocationDate = revocationDate
        self.reason = reason
    }

    /// The serial as lowercase hex without leading zeros.
    public var serialHex: String { Hex.integer(serialNumber) }
}

/// CRLReason codes (RFC 5280 section 5.3.1), named as on the command line.
public enum RevocationReason: Int, Sendable, CaseIterable, Hashable {
    case unspecified = 0
    case keyCompromise = 1
    case caCompromise = 2
    case affiliationChanged = 3
    case superseded = 4
    case cessationOfOperation = 5
    case certificateHold = 6
    case removeFromCRL = 8
    case privilegeWithdrawn = 9
    case aaCompromise = 10

    /// The RFC 5280 name, such as `keyCompromise`.
    public var name: String { String(describing: self) }
}

/// What an engine needs to sign a CRL; the core decides every field.
public struct CRLRequest: Sendable {
    /// thisUpdate.
    public var thisUpdate: Date
    /// nextUpdate.
    public var nextUpdate: Date
    /// cRLNumber content octets (positive, minimal).
    public var crlNumber: [UInt8]
    /// The revoked certificates.
    public var revoked: [RevokedCertificate]
    /// authorityKeyIdentifier keyIdentifier (the issuer's SKI).
    public var authorityKeyIdentifier: [UInt8]?
    /// Hash for RSA/ECDSA signatures.
    public var digest: DigestAlgorithm

    /// Makes a CRL request.
    public init(
        thisUpdate: Date, nextUpdate: Date, crlNumber: [UInt8], revoked: [RevokedCertificate],
        authorityKeyIdentifier: [UInt8]?, digest: DigestAlgorithm = .sha256
    ) {
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
        self.crlNumber = crlNumber
        self.revoked = revoked
        self.authorityKeyIdentifier = authorityKeyIdentifier
        self.digest = digest
    }
}

/// A CRL as an engine parsed it.
public struct CRLInfo: Hashable, Sendable {
    /// The DER the values were read from.
    public var der: [UInt8]
    /// The issuer as RFC 4514 text.
    public var issuer: String
    /// thisUpdate.
    public var thisUpdate: Date
    /// nextUpdate, when present.
    public var nextUpdate: Date?
    /// cRLNumber content octets, when present.
    public var crlNumber: [UInt8]?
    /// The revoked certificates, in encoded order.
    public var revoked: [RevokedCertificate]
    /// The signature algorithm OID.
    public var signatureAlgorithmOID: String

    /// Makes a parsed-CRL value; engines call this.
    public init(
        der: [UInt8], issuer: String, thisUpdate: Date, nextUpdate: Date?, crlNumber: [UInt8]?,
        revoked: [RevokedCertificate], signatureAlgorithmOID: String
    ) {
        self.der = der
        self.issuer = issuer
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
        self.crlNumber = crlNumber
        self.revoked = revoked
        self.signatureAlgorithmOID = signatureAlgorithmOID
    }
}
