import Foundation

extension PKIStore {
    /// Rolls over this PKI's intermediate CA under `parent` (the PKI directory whose CA signs
    /// the new one; it may have rolled over itself since it signed the old one): a new key,
    /// a new intermediate certificate from the parent's current CA, with the old one's path
    /// length and the next generation name, made the issuing CA here. As with a root's
    /// rollover the old CA stays trusted (`ca-old.crt`, and the chain above it in
    /// `root-old.crt`), so this PKI's bundles carry both chains until `retireOldCA`.
    ///
    /// One operation of the parent is the commit point of both directories, as for `init
    /// --parent`: before it, this PKI's new key and certificates are staged here, with a copy
    /// of this inventory holding the changes and a pending operation that makes the renames;
    /// the parent's operation records the new intermediate (and marks the one it replaces
    /// superseded, which leaves the parent's own old root free to retire) and hands the copy
    /// over as this PKI's inventory, replacing it only if it is unchanged. Opening this
    /// inventory again finishes the renames. A failure or a kill before the commit leaves both
    /// directories as they were; after it, this directory refuses to open until the next
    /// command in the parent has handed its inventory over. Both stores must be open, locked
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
        if var replaced = try parent.inventory.all().first(where: {
            $0.fingerprint == current.fingerprint && $0.status == .active
        }) {
            replaced.status = .superseded
            replaced.supersededAt = date
            parentChanges.append(.update(replaced))
        }
        let previous = current
        current.caRole = .old
        current.certificatePath = "ca-old.crt"
        current.keyPath = "ca-old.key"
        let demoted = current
        let record = InventoryRecord(
            certificate: info, name: newName, kind: .ca, profile: CertificateProfile.Role.intermediateCA.rawValue,
            issuerFingerprint: parentAuthority.info.fingerprintHex, caRole: .current, certificatePath: "ca.crt",
            keyPath: "ca.key", recordedAt: date)
        let files = try intermediateFiles(key: key, certificate: info, above: above)

        // This PKI's side, prepared in full before the parent commits: the new files staged here,
        // and a copy of this inventory with the changes and a pending operation making the renames.
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let inventoryCopy = "\(PKIDirectory.stagingFolder)/\(tag)\(Self.handedOverInventorySuffix)"
        let sidecar = "\(PKIDirectory.stagingFolder)/\(tag)\(Self.parentSuffix)"
        var staged = [String]()
        var handedOver = false
        defer {
            if !handedOver {
                for path in staged + [inventoryCopy + "-journal"] { unlink(directory.absolute(path)) }
            }
        }
        try AtomicFile.makeDirectory(directory.stagingPath, mode: 0o700)
        var moves = [FileMove]()
        for (from, to) in [
            ("ca.crt", "ca-old.crt"), ("ca.key", "ca-old.key"),
            (PKIDirectory.chainAboveFile, PKIDirectory.oldChainAboveFile),
        ] {
            moves.append(
                FileMove(from: from, to: to, sha256: try journal.sha256(InputFile.read(directory.absolute(from)))))
        }
        for (index, file) in files.enumerated() {
            let path = "\(PKIDirectory.stagingFolder)/\(tag)-\(index)-\(file.destination)"
            staged.append(path)
            try AtomicFile.write(file.bytes, to: directory.absolute(path), mode: file.mode, overwrite: false)
            moves.append(FileMove(from: path, to: file.destination, sha256: try journal.sha256(file.bytes)))
        }
        let priorInventory = try InputFile.read(directory.inventoryPath)
        staged += [inventoryCopy, sidecar]
        try AtomicFile.write(
            priorInventory, to: directory.absolute(inventoryCopy), mode: AtomicFile.privateMode, overwrite: false)
        try stageInventory(
            at: inventoryCopy, changes: [.update(demoted), .insert(record)], kind: "rollover",
            summary: "new intermediate CA \(info.subject) replaces \(previous.subject)", moves: moves, at: date)
        try AtomicFile.write(
            parent.directory.path, to: directory.absolute(sidecar), mode: AtomicFile.publicMode, overwrite: false)
        let handover = FileMove(
            from: directory.absolute(inventoryCopy), to: directory.inventoryPath,
            sha256: try journal.sha256(InputFile.read(directory.absolute(inventoryCopy))), handedOver: true,
            replacing: try journal.sha256(priorInventory))

        // The commit point of both: the parent records the new intermediate and hands this PKI its inventory.
        do {
            try parent.commit(
                kind: "sign-intermediate", summary: "intermediate CA \(info.subject) for \(directory.path)",
                archives: [],
                newFiles: [
                    NewFile(bytes: Self.certificatePEM(info.der), mode: AtomicFile.publicMode, destination: copyPath)
                ], at: date, changes: parentChanges, handovers: [handover])
        } catch let error as PKIError where error.remedy?.action == .finishedByNextCommand {
            handedOver = true
            throw error
        }
        handedOver = true
        do {
            try reopenInventory()
        } catch let error as PKIError {
            throw PKIError(error.code, error.message, remedy: Remedy(.finishedByNextCommand, directory: directory.path))
        }
        return (info, demoted)
    }
}
