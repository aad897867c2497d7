import Foundation

/// One revoked certificate in a CRL.
public struct RevokedCertificate: Hashable, Sendable {
    /// The serial number's content octets, as in the certificate.
    public var serialNumber: [UInt8]
    /// When it was revoked.
    public var revocationDate: Date
    /// The CRLReason code (RFC 5280 5.3.1), when given.
    public var reason: RevocationReason?

    /// An entry; with `reason` nil it carries no reasonCode.
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
    /// When the CRL is issued (thisUpdate).
    public var thisUpdate: Date
    /// When clients should fetch the next one (nextUpdate); past it, a verifier may refuse this CRL.
    public var nextUpdate: Date
    /// cRLNumber content octets (positive, minimal): orders this CRL against its successors.
    public var crlNumber: [UInt8]
    /// The entries, written in this order.
    public var revoked: [RevokedCertificate]
    /// authorityKeyIdentifier keyIdentifier (the issuer's SKI), so verifiers find the signing key.
    public var authorityKeyIdentifier: [UInt8]?
    /// Hash for RSA/ECDSA signatures.
    public var digest: DigestAlgorithm

    /// A request; the digest defaults to SHA-256.
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
    /// When the CRL was issued (thisUpdate).
    public var thisUpdate: Date
    /// When the next one is due (nextUpdate), when present.
    public var nextUpdate: Date?
    /// cRLNumber content octets, when present (the core refuses a CRL without one).
    public var crlNumber: [UInt8]?
    /// The revoked certificates, in encoded order.
    public var revoked: [RevokedCertificate]
    /// The signature algorithm OID in dotted form.
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
