/// `outlives-issuer`: a certificate whose notAfter is past its issuer's, when the issuer
/// is among the audited certificates. The issuer is the CA whose subject is the
/// certificate's issuer name and, when both carry key identifiers, whose
/// subjectKeyIdentifier is the certificate's authorityKeyIdentifier (so an old and a new
/// CA with the same name during a rollover are told apart).
public struct OutlivesIssuerRule: AuditRule {
    public init() {}
    public var code: String { "outlives-issuer" }
    public var summary: String { "notAfter past its issuer's, when the issuer is among the inputs" }

    public func flagged(_ certificates: [AuditedCertificate], context: AuditContext) -> Set<Int> {
        var authorities = [String: [Int]]()
        for (index, certificate) in certificates.enumerated() where certificate.fields.isCA {
            authorities[certificate.fields.subject, default: []].append(index)
        }
        var found = Set<Int>()
        for (index, certificate) in certificates.enumerated() where !certificate.fields.isSelfIssued {
            let fields = certificate.fields
            let issuers = (authorities[fields.issuer] ?? []).filter { candidate in
                guard let keyID = fields.authorityKeyIdentifier,
                    let subjectKeyID = certificates[candidate].fields.subjectKeyIdentifier
                else { return true }
                return keyID == subjectKeyID
            }
            guard !issuers.isEmpty else { continue }
            // Several matching issuers (re-issued CA, same key): only past the latest one counts.
            let latest = issuers.map { certificates[$0].fields.notAfter }.max()!
            if fields.notAfter > latest { found.insert(index) }
        }
        return found
    }
}
