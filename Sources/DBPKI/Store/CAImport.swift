import Foundation

/// What `init --import` did with a certificate for a PKI waiting for its CA: imported it, or
/// refused it for reasons that are an answer (it is for another key, is not a CA, or does not
/// chain to the root given), in which case nothing changed.
public struct CAImport: Sendable {
    /// The imported CA certificate; nil when refused.
    public var info: CertificateInfo?
    /// The certificates above it, its issuer first, up to and including the root (empty when refused).
    public var chainAbove: [CertificateInfo]
    /// Why the certificate was refused, one line each; empty when imported.
    public var refusals: [String]
    /// Every file written (empty when refused).
    public var files: [String]

    /// True when the certificate became this PKI's CA.
    public var isImported: Bool { info != nil }
}

extension PKIStore {
    /// Completes a PKI started with ``createPendingCA(name:keyType:under:)``: `certificates`
    /// (the CA certificate first, then any intermediates above it) become `ca.crt`, and
    /// `root.crt` the certificates above it up to and including `root`, as `init --parent`
    /// writes them; the inventory records the CA as the current CA with the intermediate
    /// profile and stops waiting, in one journaled operation (all or nothing). The request
    /// file (`ca.csr`) stays: it is public, and shows what was asked for.
    ///
    /// Refused with a usage error for a PKI that is not waiting. Refused as an answer
    /// (``CAImport/refusals``, nothing written) when the first certificate is not a CA
    /// certificate with keyCertSign, is not for `ca.key`'s key, `root` is not a self-signed CA,
    /// or the certificate does not validate to `root` alone (RFC 5280 profile, now, no
    /// purpose), the other certificates serving as intermediates.
    public func importCACertificate(_ certificates: [[UInt8]], root: [UInt8]) throws -> CAImport {
        guard try inventory.pendingCARequest() != nil, try inventory.ca(.current) == nil else {
            throw PKIError(
                .invalidArgument,
                try inventory.ca(.current) != nil
                    ? "\(directory.path) has its CA certificate already; only a PKI waiting for one can import it"
                    : "\(directory.path) is not waiting for a CA certificate (it was not started with a request)")
        }
        guard let first = certificates.first else {
            throw PKIError(.invalidInput, "no certificate to import")
        }
        let info = try backend.parseCertificate(der: first)
        let rootInfo = try backend.parseCertificate(der: root)
        var refusals = [String]()
        if !info.isCA {
            refusals.append("'\(info.subject)' is not a CA certificate (basicConstraints cA is not TRUE)")
        } else if !(info.keyUsage?.contains(.keyCertSign) ?? false) {
            refusals.append("'\(info.subject)' may not sign certificates (its keyUsage lacks keyCertSign)")
        }
        let key = try keyStore.loadKey(at: directory.caKeyPath, role: .ca, using: backend)
        if try !backend.privateKey(key, matchesCertificate: first) {
            refusals.append(
                "'\(info.subject)' is for another key than \(directory.caKeyPath) (its request is not this PKI's)")
        }
        if !rootInfo.isSelfIssued || !rootInfo.isCA {
            refusals.append("the root '\(rootInfo.subject)' is not a self-signed CA certificate")
        }
        let intermediates = certificates.dropFirst().filter { $0 != root }
        let verdict = try ChainVerifier(engines: [backend]).verify(
            VerificationRequest(
                leaf: first, intermediates: Array(intermediates), trustAnchors: [root],
                policy: VerificationPolicy(time: now, purpose: nil)))
        for result in verdict.results {
            for failure in result.failures {
                refusals.append("it does not chain to '\(rootInfo.subject)': \(failure)")
            }
        }
        guard refusals.isEmpty else {
            return CAImport(info: nil, chainAbove: [], refusals: refusals, files: [])
        }
        let above = Array(intermediates) + [root]
        let aboveInfo = try above.map { try backend.parseCertificate(der: $0) }
        let name =
            RFC4514.parseName(info.subject)?.attributes.last(where: { $0.oid == "2.5.4.3" })?.value ?? info.subject
        let date = now
        try commit(
            kind: "init-import", summary: "imported CA certificate \(info.subject)", archives: [],
            newFiles: [
                NewFile(bytes: Self.certificatePEM(first), mode: AtomicFile.publicMode, destination: "ca.crt"),
                NewFile(
                    bytes: Array(BundleMaterial.pem(above).utf8), mode: AtomicFile.publicMode,
                    destination: PKIDirectory.chainAboveFile),
            ], at: date,
            changes: [
                .insert(
                    Self.intermediateCARecord(
                        info, name: name, issuerFingerprint: aboveInfo[0].fingerprintHex, at: date)),
                .awaitCACertificate(request: nil),
            ])
        return CAImport(
            info: info, chainAbove: aboveInfo, refusals: [],
            files: [directory.caCertificatePath, directory.chainAbovePath])
    }
}
