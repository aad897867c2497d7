import Foundation

extension PKIStore {
    /// Rolls over this PKI's intermediate CA under `parent` (the PKI directory whose CA signs
    /// the new one; it may have rolled over itself since it signed the old one): a new key,
    /// a new intermediate certificate from the parent's current CA, with the old one's path
    /// length and the next generation name, made the issuing CA here. As with a root's
    /// rollover the old CA stays trusted (`ca-old.crt`, and the chain above it in
    /// `root-old.crt`), so this PKI's bundles carry both chains until `retireOldCA`.
    ///
    /// The parent records the new intermediate first and marks the one it replaces
    /// superseded (it leaves the parent's own rollover free to retire its old root); then
    /// this PKI commits. When this PKI's commit fails, the parent's new record is revoked
    /// (cessationOfOperation) and the old one is active again, so no usable certificate is
    /// left unaccounted for. A process killed between the two commits leaves the parent
    /// recording a new intermediate that was never installed (revoke it by serial); closing
    /// that window needs the hand-over `init --parent` uses. Both stores must be open, locked
    /// in ``LockOrder``.
    @discardableResult
    public func rolloverIntermediate(
        under parent: PKIStore, name: String? = nil, keyType: KeyType? = nil,
        days: Int = CertificateProfile.defaultIntermediateDays, under: DistinguishedName = DistinguishedName([])
    ) throws -> (new: CertificateInfo, old: InventoryRecord) {
        if let old = try inventory.ca(.old) {
            throw PKIError(
                .alreadyExists,
                "a rollover is already in progress: the old CA '\(old.subject)' is still trusted (ca-old.crt)",
                remedy: Remedy(.retireOldCA, directory: directory.path))
        }
        for path in [directory.oldCACertificatePath, directory.oldChainAbovePath]
        where FileManager.default.fileExists(atPath: path) {
            throw PKIError(
                .alreadyExists, "\(path) exists but is not recorded",
                remedy: Remedy(.runDoctor, directory: directory.path))
        }
        guard var current = try inventory.ca(.current),
            current.profile == CertificateProfile.Role.intermediateCA.rawValue
        else {
            throw PKIError(.invalidArgument, "the CA of \(directory.path) is not an intermediate: it has no parent")
        }
        let authority = try currentAuthority()
        let parentAuthority = try parent.currentAuthority()
        let newName = name ?? Self.nextGeneration(of: current.name)
        if newName == current.name {
            throw PKIError(
                .invalidArgument, "the new CA needs a name other than the old CA's ('\(newName)')")
        }
        // The same checks as init --parent: the parent can sign, and its path length allows one more CA.
        let date = now
        guard parentAuthority.info.notAfter > date, parentAuthority.info.notBefore <= date else {
            throw PKIError(
                .invalidArgument,
                "the CA of \(parent.directory.path) ('\(parentAuthority.info.subject)') is not valid at "
                    + RFC3339.format(date), remedy: Remedy(.rolloverCA, directory: parent.directory.path))
        }
        let pathLength = authority.info.pathLengthConstraint ?? 0
        let above = [parentAuthority.certificate] + (try parent.chainAbove())
        for (depth, der) in above.enumerated() {
            let ca = try backend.parseCertificate(der: der)
            if let limit = ca.pathLengthConstraint, depth + 1 + pathLength > limit {
                throw PKIError(
                    .invalidArgument,
                    "'\(ca.subject)' allows \(limit) CA\(limit == 1 ? "" : "s") below it (pathLenConstraint \(limit))")
            }
        }
        let profile = CertificateProfile.intermediateCA(
            name: newName, pathLength: pathLength, days: days, under: under)
        let key = try backend.generatePrivateKey(keyType ?? KeyType.matching(authority.info.publicKey))
        Failpoint.hit("rollover-intermediate.after-key")
        let info = try parent.sign(profile, key: key, authority: parentAuthority)

        // The parent records the new intermediate and supersedes the old one.
        let copyPath = "\(PKIDirectory.intermediatesFolder)/\(info.serialHex).crt"
        var parentChanges: [InventoryChange] = [
            .insert(
                InventoryRecord(
                    certificate: info, name: newName, kind: .ca,
                    profile: CertificateProfile.Role.intermediateCA.rawValue,
                    issuerFingerprint: parentAuthority.info.fingerprintHex, certificatePath: copyPath, keyPath: nil,
                    recordedAt: date))
        ]
        let original = try parent.inventory.all().first(where: {
            $0.fingerprint == current.fingerprint && $0.status == .active
        })
        if var replaced = original {
            replaced.status = .superseded
            replaced.supersededAt = date
            parentChanges.append(.update(replaced))
        }
        try parent.commit(
            kind: "sign-intermediate", summary: "intermediate CA \(info.subject) for \(directory.path)", archives: [],
            newFiles: [
                NewFile(bytes: Self.certificatePEM(info.der), mode: AtomicFile.publicMode, destination: copyPath)
            ],
            at: date, changes: parentChanges)

        let previous = current
        current.caRole = .old
        current.certificatePath = "ca-old.crt"
        current.keyPath = "ca-old.key"
        let demoted = current
        let record = InventoryRecord(
            certificate: info, name: newName, kind: .ca, profile: CertificateProfile.Role.intermediateCA.rawValue,
            issuerFingerprint: parentAuthority.info.fingerprintHex, caRole: .current, certificatePath: "ca.crt",
            keyPath: "ca.key", recordedAt: date)
        let files = [
            NewFile(bytes: keyStore.fileContents(for: key), mode: AtomicFile.privateMode, destination: "ca.key"),
            NewFile(bytes: Self.certificatePEM(info.der), mode: AtomicFile.publicMode, destination: "ca.crt"),
            NewFile(
                bytes: Array(BundleMaterial.pem(above).utf8), mode: AtomicFile.publicMode,
                destination: PKIDirectory.chainAboveFile),
        ]
        do {
            try commit(
                kind: "rollover", summary: "new intermediate CA \(info.subject) replaces \(previous.subject)",
                archives: [
                    ("ca.crt", "ca-old.crt"), ("ca.key", "ca-old.key"),
                    (PKIDirectory.chainAboveFile, PKIDirectory.oldChainAboveFile),
                ], newFiles: files, at: date, changes: [.update(demoted), .insert(record)])
        } catch let error as PKIError where error.remedy?.action != .finishedByNextCommand {
            // Not installed: the parent's record must not stand for a usable CA.
            _ = try? parent.revoke(serial: info.serialHex, reason: .cessationOfOperation)
            if let original { _ = try? parent.inventory.apply([.update(original)]) }
            throw error
        }
        return (info, demoted)
    }
}
