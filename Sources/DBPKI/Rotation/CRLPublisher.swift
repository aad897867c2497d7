import Foundation

/// A CRL `dbpki crl` made.
public struct PublishedCRL: Sendable {
    /// The CRL as PEM (`X509 CRL`).
    public var pem: String
    /// The CRL as parsed back.
    public var info: CRLInfo
    /// Its cRLNumber.
    public var number: Int64
    /// The CA that signed it.
    public var authority: InventoryRecord
}

extension PKIStore {
    /// Default time to nextUpdate: 30 days.
    public static let defaultCRLDays = 30

    /// Signs a CRL with the current CA (or, `old: true` during a rollover, the old CA)
    /// listing every revoked certificate that CA issued, with thisUpdate now, nextUpdate
    /// `days` later and a cRLNumber one above the last this CA used (stored in the
    /// inventory, so it only ever increases).
    ///
    /// Reason codes are written for every reason but `unspecified` (RFC 5280 says to
    /// omit that one). On an engine without ``EngineCapabilities/crlEntryReasons`` (GnuTLS
    /// 3.7) a CRL whose entries carry reasons is refused before the engine is asked (with
    /// the remedy ``Remedy/Action/omitCRLReasons``) unless `includeReasons` is false, which
    /// leaves every reason out.
    public func makeCRL(old: Bool = false, days: Int = defaultCRLDays, includeReasons: Bool = true) throws
        -> PublishedCRL
    {
        guard days >= 1 else { throw PKIError(.invalidArgument, "a CRL must be valid for at least 1 day") }
        let role: InventoryRecord.CARole = old ? .old : .current
        guard let record = try inventory.ca(role) else {
            throw old
                ? PKIError(.notFound, "no rollover in progress: \(directory.path) has no old CA to sign a CRL with")
                : try noCurrentCA()
        }
        let authority = try checkedAuthority(role)
        let revoked = try inventory.all().filter { $0.status == .revoked && $0.issuerFingerprint == record.fingerprint }
        let entries = revoked.map { entry in
            let reason = entry.revocationReason.flatMap { name in RevocationReason.allCases.first { $0.name == name } }
            return RevokedCertificate(
                serialNumber: entry.serialNumber, revocationDate: entry.revokedAt ?? entry.recordedAt,
                reason: includeReasons && reason != .unspecified ? reason : nil)
        }
        let now = self.now
        let number =
            try inventory.lastCRLNumber(caFingerprint: record.fingerprint) + 1
        let request = CRLRequest(
            thisUpdate: now, nextUpdate: now.addingTimeInterval(TimeInterval(days) * 86_400),
            crlNumber: SerialNumber.encode(UInt64(number)), revoked: entries,
            authorityKeyIdentifier: authority.info.subjectKeyIdentifier)
        let count = entries.filter { $0.reason != nil }.count
        if count > 0 && !backend.capabilities.contains(.crlEntryReasons) {
            throw PKIError(
                .unsupported,
                "the \(backend.engine.name) engine cannot write CRL reason codes (\(count) revoked certificate"
                    + "\(count == 1 ? " carries one" : "s carry one"))", remedy: Remedy(.omitCRLReasons))
        }
        let der = try backend.createCRL(request, issuer: authority.certificate, signingKey: authority.key)
        try inventory.recordCRLNumber(number, caFingerprint: record.fingerprint, at: now)
        return PublishedCRL(
            pem: PEM.encode(label: "X509 CRL", der: der), info: try backend.parseCRL(der: der), number: number,
            authority: record)
    }
}
