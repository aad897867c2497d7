import Foundation

/// What `ca retire-old` did, or why it did not.
public enum CARetirement: Sendable {
    /// The old CA left the bundles; its record (now retired) is returned.
    case retired(InventoryRecord, stillActive: [InventoryRecord])
    /// Refused: these active certificates are still signed by the old CA.
    case refused(oldCA: InventoryRecord, stillActive: [InventoryRecord])
}

extension PKIStore {
    /// Makes a new self-signed root the issuing CA (`ca.crt`, `ca.key`) and keeps the
    /// previous one as the old CA (`ca-old.crt`, `ca-old.key`): still in every bundle,
    /// after the new one, until `retireOldCA`. Refuses while an old CA is still there.
    ///
    /// The new CA's name defaults to the old one's with a generation suffix (`Example DB CA`
    /// becomes `Example DB CA G2`, `... G2` becomes `... G3`): two roots with one name
    /// would leave clients to tell them apart by key identifiers alone. Its key type
    /// defaults to the old CA's.
    @discardableResult
    public func rolloverCA(
        name: String? = nil, keyType: KeyType? = nil, days: Int = CertificateProfile.defaultCADays
    ) throws -> (new: CertificateInfo, old: InventoryRecord) {
        if let old = try inventory.ca(.old) {
            throw PKIError(
                .alreadyExists,
                "a rollover is already in progress: the old CA '\(old.subject)' is still trusted (ca-old.crt)",
                remedy: Remedy(.retireOldCA, directory: directory.path))
        }
        if FileManager.default.fileExists(atPath: directory.oldCACertificatePath) {
            throw PKIError(
                .alreadyExists,
                "\(directory.oldCACertificatePath) exists but is not recorded",
                remedy: Remedy(.runDoctor, directory: directory.path))
        }
        guard var current = try inventory.ca(.current) else { throw try noCurrentCA() }
        if current.profile == CertificateProfile.Role.intermediateCA.rawValue {
            throw PKIError(
                .invalidArgument,
                "the CA of \(directory.path) ('\(current.subject)') is an intermediate: its new certificate must be "
                    + "signed by the CA above it", remedy: Remedy(.rolloverUnderParent, directory: directory.path))
        }
        let authority = try currentAuthority()
        let newName = name ?? Self.nextGeneration(of: current.name)
        if LegacyAdoption.commonName(of: current.subject) == newName || current.subject == "CN=\(newName)" {
            throw PKIError(
                .invalidArgument,
                "the new CA needs a name other than the old CA's ('\(newName)'): clients tell the two roots apart by name"
            )
        }
        let key = try backend.generatePrivateKey(keyType ?? KeyType.matching(authority.info.publicKey))
        Failpoint.hit("rollover.after-key")
        // A CA key that was encrypted is not followed by a plain one.
        let (info, record, files) = try newRootCA(
            name: newName, days: days, key: key, encryptKey: KeyStore.isEncryptedKeyFile(at: directory.caKeyPath))
        let previous = current
        current.caRole = .old
        current.certificatePath = "ca-old.crt"
        current.keyPath = "ca-old.key"
        let demoted = current
        try commit(
            kind: "rollover", summary: "new root CA \(info.subject) replaces \(previous.subject)",
            archives: [("ca.crt", "ca-old.crt"), ("ca.key", "ca-old.key")], newFiles: files, at: record.recordedAt,
            changes: [.update(demoted), .insert(record)])
        return (info, demoted)
    }

    /// Takes the old CA out of the bundles: its files move to `history/ca-SERIAL.crt`
    /// and `.key`, and it is marked retired. Refuses while active certificates are still
    /// signed by it, unless `force` (they then fail for clients that have only the new CA).
    public func retireOldCA(force: Bool) throws -> CARetirement {
        let date = now
        guard var old = try inventory.ca(.old) else {
            throw PKIError(.notFound, "no rollover in progress: \(directory.path) has no old CA to retire")
        }
        // Intermediates it signed count too: retiring their root would strand their clients.
        let stillActive =
            try inventory.activeLeaves(issuedBy: old.fingerprint)
            + inventory.all().filter {
                $0.isSignedIntermediate && $0.status == .active && $0.issuerFingerprint == old.fingerprint
            }
        if !stillActive.isEmpty && !force { return .refused(oldCA: old, stillActive: stillActive) }
        var archives = [(from: String, to: String)]()
        let certificatePath = "\(PKIDirectory.historyFolder)/ca-\(old.serial).crt"
        let keyPath = "\(PKIDirectory.historyFolder)/ca-\(old.serial).key"
        archives.append((old.certificatePath, certificatePath))
        if let key = old.keyPath, FileManager.default.fileExists(atPath: directory.absolute(key)) {
            archives.append((key, keyPath))
            old.keyPath = keyPath
        } else {
            old.keyPath = nil
        }
        if SymbolicLink.exists(directory.oldChainAbovePath) {
            archives.append(
                (PKIDirectory.oldChainAboveFile, "\(PKIDirectory.historyFolder)/ca-\(old.serial)-root.pem"))
        }
        old.certificatePath = certificatePath
        old.caRole = .retired
        old.status = .superseded
        old.supersededAt = date
        let retired = old
        try commit(
            kind: "retire", summary: "old CA \(old.subject) retired", archives: archives, newFiles: [], at: date,
            changes: [.update(retired)])
        return .retired(retired, stillActive: stillActive)
    }

    /// `Name` → `Name G2`, `Name G2` → `Name G3`.
    public static func nextGeneration(of name: String) -> String {
        if let space = name.lastIndex(of: " ") {
            let suffix = name[name.index(after: space)...]
            if suffix.hasPrefix("G"), let generation = Int(suffix.dropFirst()), generation >= 1 {
                return "\(name[..<space]) G\(generation + 1)"
            }
        }
        return name + " G2"
    }
}
