import DBPKI

/// A certificate made for a test, with its key and its parsed form, so a test can sign under it,
/// verify it and compare fields without parsing again.
public struct Issued: Sendable {
    public let der: [UInt8]
    public let key: PrivateKey
    public let info: CertificateInfo

    public init(der: [UInt8], key: PrivateKey, info: CertificateInfo) {
        self.der = der
        self.key = key
        self.info = info
    }
}
