/// `duplicate-serial`: two different certificates (different fingerprints) with the same
/// issuer name and serial number. RFC 5280 requires serials unique per issuer; a repeat
/// breaks revocation, which lists serials.
public struct DuplicateSerialRule: AuditRule {
    public init() {}
    public var code: String { "duplicate-serial" }
    public var summary: String { "another certificate has the same issuer and serial number" }

    public func flagged(_ certificates: [AuditedCertificate], context: AuditContext) -> Set<Int> {
        struct Key: Hashable {
            let issuer: String
            let serial: [UInt8]
        }
        var groups = [Key: [Int]]()
        for (index, certificate) in certificates.enumerated() {
            groups[Key(issuer: certificate.fields.issuer, serial: certificate.fields.serialNumber), default: []]
                .append(index)
        }
        // Certificates are already distinct by fingerprint, so any group of two or more is a duplicate.
        return Set(groups.values.filter { $0.count > 1 }.flatMap { $0 })
    }
}
