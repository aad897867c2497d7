import Foundation
import GRDB

/// What `init --parent` made: the intermediate CA and where it went.
public struct CreatedIntermediate: Sendable {
    /// The intermediate CA certificate.
    public var info: CertificateInfo
    /// The certificates above it, its issuer first, up to and including the root.
    public var chainAbove: [CertificateInfo]
    /// True when the validity asked for would have outlived the parent CA, so it ends with it.
    public var cappedByParent: Bool
    /// Every file written in the intermediate's directory and the parent's.
    public var files: [String]

    /// What is handed to the intermediate's operator when its key lives elsewhere (`sign --ca`):
    /// the certificate, then the certificates above it that are not self-signed (the root is
    /// given separately, as the trust anchor the import checks against).
    public var certificateWithIntermediates: [[UInt8]] {
        [info.der] + chainAbove.filter { !$0.isSelfIssued }.map(\.der)
    }
}

extension PKIStore {
    /// The largest `pathLenConstraint` an intermediate is given: deeper hierarchies than
    /// this are a mistake for database TLS, and a huge value is a typo.
    public static let maximumPathLength = 8

    /// The CA certificates above this PKI's CA (`root.crt`), its issuer first, up to and
    /// including the root; empty for a PKI whose CA is a root. Every command that ships or
    /// checks a chain reads it here.
    /// With `old`, the chain above the old CA during an intermediate's rollover (`root-old.crt`).
    public func chainAbove(old: Bool = false) throws -> [[UInt8]] {
        let path = old ? directory.oldChainAbovePath : directory.chainAbovePath
        guard SymbolicLink.exists(path) else { return [] }
        return try InputFile.decode(path, CertificateDecoder.certificates(from:))
    }

    /// The files an intermediate CA is installed as: its key (`ca.key`, written by this store's
    /// key store), its certificate (`ca.crt`) and the certificates above it (`root.crt`).
    func intermediateFiles(key: PrivateKey, certificate info: CertificateInfo, above: [[UInt8]]) throws -> [NewFile] {
        [
            NewFile(
                bytes: try keyStore.fileContents(for: key, using: backend), mode: AtomicFile.privateMode,
                destination: "ca.key"),
            NewFile(bytes: Self.certificatePEM(info.der), mode: AtomicFile.publicMode, destination: "ca.crt"),
            NewFile(
                bytes: Array(BundleMaterial.pem(above).utf8), mode: AtomicFile.publicMode,
                destination: PKIDirectory.chainAboveFile),
        ]
    }

    /// The intermediates a leaf signed by `authority` is shipped with (`issued/NAME.crt` after
    /// the leaf, and so every server file and client certificate made from it): `authority`
    /// and the intermediates above it, never a root; none for a root CA.
    public func intermediates(below authority: SigningAuthority) throws -> [[UInt8]] {
        guard !authority.info.isSelfIssued else { return [] }
        var chain = [authority.certificate]
        for der in try chainAbove() where !(try backend.parseCertificate(der: der).isSelfIssued) {
            chain.append(der)
        }
        return chain
    }

    /// The suffix of an intermediate's staged inventory, which its parent's operation hands over.
    static let handedOverInventorySuffix = "-inventory.sqlite"

    /// Refuses to open a directory while a parent's interrupted operation (`init --parent`,
    /// `ca rollover --parent`) is still to hand it its staged inventory: the next command in
    /// the parent finishes it, and a change made here meanwhile would leave the parent
    /// recording an intermediate that is not there. A staged inventory whose parent has no
    /// pending operation for it (the run was stopped before it was recorded) is removed.
    static func refuseDuringHandOver(_ directory: PKIDirectory) throws {
        let staged = (try? FileManager.default.contentsOfDirectory(atPath: directory.stagingPath)) ?? []
        for file in staged where file.hasSuffix(handedOverInventorySuffix) {
            let path = directory.stagingPath + "/" + file
            let sidecar = String(path.dropLast(handedOverInventorySuffix.count)) + parentSuffix
            let parent = (try? String(contentsOfFile: sidecar, encoding: .utf8)).map(PKIDirectory.init)
            var pending = true
            if let parent, let inventory = try? Inventory.openExisting(path: parent.inventoryPath) {
                pending =
                    (try? inventory.read { db in
                        try JournalOperation.filter(Column("state") == "pending").fetchAll(db).contains {
                            $0.moves.contains { $0.from == path }
                        }
                    }) ?? true
            }
            if !pending {
                unlink(path)
                unlink(sidecar)
                continue
            }
            throw PKIError(
                .alreadyExists,
                "\(directory.path) is being given its CA by an interrupted operation of its parent PKI "
                    + "\(parent?.path ?? "(unknown)"): any dbpki command in the parent finishes it")
        }
    }

    /// The suffix of the file beside a staged inventory that names the parent handing it over.
    static let parentSuffix = "-parent"

    /// Turns the inventory copy at `relative` (staged) into this directory's next inventory:
    /// `changes` applied and a pending operation of `moves`, for a parent's operation to hand
    /// over (``FileMove/replacing``); opening it then makes the renames.
    func stageInventory(
        at relative: String, changes: [InventoryChange], kind: String, summary: String, moves: [FileMove],
        at date: Date
    ) throws {
        let copy = try Inventory.openExisting(path: directory.absolute(relative))
        try copy.write { db in
            _ = try Inventory.apply(changes, in: db)
            var operation = JournalOperation(
                kind: kind, summary: summary, state: "pending", moves: moves, startedAt: date, finishedAt: nil)
            try operation.insert(db)
        }
        try copy.closeDatabase()
    }

    /// Signs a new intermediate CA for `site` with this PKI's current CA and installs it
    /// there, recording it in both inventories, all or nothing.
    ///
    /// The intermediate ends with this PKI's CA at the latest (its validity is capped, as a
    /// leaf's is, and ``CreatedIntermediate/cappedByParent`` says so). It is refused when this
    /// CA has expired (or is not valid yet), or when a `pathLenConstraint` above would be
    /// exceeded by it and the `pathLength` CAs it may have below it.
    ///
    /// One journaled operation of this PKI is the commit point of both directories. Before
    /// it, the intermediate's key and certificates, and its complete inventory (the CA record
    /// and a pending operation that moves those files into place), are staged in the
    /// intermediate's directory; a failure there leaves both directories unchanged. The
    /// operation then records the intermediate here (kind `ca`, its copy at
    /// `intermediates/SERIAL.crt`) and hands the staged inventory over by renaming it to
    /// `SUB/inventory.sqlite`; opening the intermediate's store finishes its own operation.
    /// A crash before the commit leaves staged files only (removed by the next `init`
    /// there); one after it is finished by the next command in this PKI (the rename) and then
    /// the next one in the intermediate's (its files).
    public func createIntermediate(
        at site: IntermediateSite, name: String, keyType: KeyType, days: Int, pathLength: Int,
        under: DistinguishedName = DistinguishedName([])
    ) throws -> CreatedIntermediate {
        do {
            return try installIntermediate(
                at: site, name: name, keyType: keyType, days: days, pathLength: pathLength, under: under)
        } catch let error as PKIError where error.remedy?.action == .finishedByNextCommand {
            throw error
        } catch {
            site.abandon()
            throw error
        }
    }

    private func installIntermediate(
        at site: IntermediateSite, name: String, keyType: KeyType, days: Int, pathLength: Int,
        under: DistinguishedName
    ) throws -> CreatedIntermediate {
        let sub = site.directory
        let (authority, above, aboveInfo, date) = try authorityForIntermediate(pathLength: pathLength)
        let profile = CertificateProfile.intermediateCA(
            name: name, pathLength: pathLength, days: days, under: under)
        try profile.subject.validate()
        let key = try backend.generatePrivateKey(keyType)
        Failpoint.hit("init-intermediate.after-key")
        let info = try sign(profile, key: key, authority: authority)
        let asked = date.addingTimeInterval(TimeInterval(days) * 86_400)

        // Opening this PKI may have just finished an earlier, interrupted creation of the same directory.
        if sub.hasCA || SymbolicLink.exists(sub.inventoryPath) {
            throw PKIError(
                .alreadyExists, "\(sub.path) already has a CA (\(sub.caCertificatePath)); refusing to overwrite it")
        }
        // Left by a run killed before its commit point: this parent's journal, just replayed, no longer needs them.
        for file in (try? FileManager.default.contentsOfDirectory(atPath: sub.stagingPath)) ?? [] {
            unlink(sub.stagingPath + "/" + file)
        }
        // The intermediate's files and inventory, staged in its own directory.
        let subJournal = FileJournal(root: sub.path, sha256: journal.sha256)
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let subFiles = try intermediateFiles(key: key, certificate: info, above: above)
        var staged = [String]()
        var handedOver = false
        defer {
            if !handedOver {
                for path in staged { unlink(sub.absolute(path)) }
                unlink(sub.absolute("\(PKIDirectory.stagingFolder)/\(tag)-inventory.sqlite-journal"))
            }
        }
        try AtomicFile.makeDirectory(sub.stagingPath, mode: 0o700)
        var subMoves = [FileMove]()
        for (index, file) in subFiles.enumerated() {
            let path = "\(PKIDirectory.stagingFolder)/\(tag)-\(index)-\(file.destination)"
            staged.append(path)
            try AtomicFile.write(file.bytes, to: sub.absolute(path), mode: file.mode, overwrite: false)
            subMoves.append(FileMove(from: path, to: file.destination, sha256: try subJournal.sha256(file.bytes)))
        }
        let subRecord = Self.intermediateCARecord(
            info, name: name, issuerFingerprint: authority.info.fingerprintHex, at: date)
        let inventoryPath = "\(PKIDirectory.stagingFolder)/\(tag)\(Self.handedOverInventorySuffix)"
        staged.append(inventoryPath)
        let subInventory = try Inventory(path: sub.absolute(inventoryPath))
        try subInventory.write { db in
            var record = subRecord
            try record.insert(db)
            var operation = JournalOperation(
                kind: "init", summary: "intermediate CA \(info.subject)", state: "pending", moves: subMoves,
                startedAt: date, finishedAt: nil)
            try operation.insert(db)
            try Inventory.markInitialized(db, how: "created")
        }
        try subInventory.closeDatabase()
        let sidecar = "\(PKIDirectory.stagingFolder)/\(tag)\(Self.parentSuffix)"
        staged.append(sidecar)
        try AtomicFile.write(directory.path, to: sub.absolute(sidecar), mode: AtomicFile.publicMode, overwrite: false)
        let inventoryBytes = try InputFile.read(sub.absolute(inventoryPath))
        let handover = FileMove(
            from: sub.absolute(inventoryPath), to: sub.inventoryPath, sha256: try journal.sha256(inventoryBytes),
            handedOver: true)

        // The commit point: this PKI records the intermediate and hands its inventory over.
        let (copy, record) = signedIntermediateRecord(info, name: name, authority: authority, at: date)
        do {
            try commit(
                kind: "init-intermediate", summary: "intermediate CA \(info.subject) in \(sub.path)", archives: [],
                newFiles: [copy], at: date, changes: [.insert(record)], handovers: [handover])
        } catch let error as PKIError where error.remedy?.action == .finishedByNextCommand {
            // Recorded: the staged files belong to the journal now.
            handedOver = true
            site.release()
            throw error
        }
        handedOver = true
        site.release()
        // Opening the intermediate's store moves its files into place (its pending operation).
        do {
            _ = try PKIStore(sub, backend: backend, clock: clock, keyStore: keyStore)
        } catch let error as PKIError {
            throw PKIError(error.code, error.message, remedy: Remedy(.finishedByNextCommand, directory: sub.path))
        }
        return CreatedIntermediate(
            info: info, chainAbove: aboveInfo, cappedByParent: asked > authority.info.notAfter,
            files: [sub.caCertificatePath, sub.caKeyPath, sub.chainAbovePath, directory.absolute(copy.destination)])
    }

    /// This PKI's current CA, checked fit to sign an intermediate that may have `pathLength`
    /// CAs below it, with the certificates above it (the CA first) and the time of signing.
    /// Refused when `pathLength` is out of range, when the CA has expired (or is not valid
    /// yet), or when a `pathLenConstraint` at or above it would be exceeded. `init --parent`
    /// and `sign --ca` both ask here, so both refuse alike.
    func authorityForIntermediate(pathLength: Int) throws -> (
        authority: SigningAuthority, above: [[UInt8]], aboveInfo: [CertificateInfo], date: Date
    ) {
        guard (0...Self.maximumPathLength).contains(pathLength) else {
            throw PKIError(
                .invalidArgument, "a path length must be between 0 and \(Self.maximumPathLength), not \(pathLength)")
        }
        let authority = try currentAuthority()
        let date = now
        guard authority.info.notAfter > date, authority.info.notBefore <= date else {
            throw PKIError(
                .invalidArgument,
                "the CA of \(directory.path) ('\(authority.info.subject)') is valid from "
                    + "\(RFC3339.format(authority.info.notBefore)) until \(RFC3339.format(authority.info.notAfter)): "
                    + "it cannot sign at \(RFC3339.format(date))",
                remedy: Remedy(.rolloverCA, directory: directory.path))
        }
        let above = [authority.certificate] + (try chainAbove())
        let aboveInfo = try above.map { try backend.parseCertificate(der: $0) }
        for (depth, ca) in aboveInfo.enumerated() {
            guard let limit = ca.pathLengthConstraint else { continue }
            // Below this CA: the CAs between it and the new one, the new one, and up to pathLength below that.
            guard depth + 1 + pathLength <= limit else {
                throw PKIError(
                    .invalidArgument,
                    "'\(ca.subject)' allows \(limit) CA\(limit == 1 ? "" : "s") below it (pathLenConstraint "
                        + "\(limit)); a new intermediate under \(directory.path) (path length \(pathLength)) "
                        + "would put \(depth + 1 + pathLength) there")
            }
        }
        return (authority, above, aboveInfo, date)
    }

    /// How the PKI that signed an intermediate records it (kind `ca`, listed, revocable, on its
    /// CRL) and the copy it keeps at `intermediates/SERIAL.crt`.
    func signedIntermediateRecord(
        _ info: CertificateInfo, name: String, authority: SigningAuthority, at date: Date
    ) -> (copy: NewFile, record: InventoryRecord) {
        let copyPath = "\(PKIDirectory.intermediatesFolder)/\(info.serialHex).crt"
        let record = InventoryRecord(
            certificate: info, name: name, kind: .ca, profile: CertificateProfile.Role.intermediateCA.rawValue,
            issuerFingerprint: authority.info.fingerprintHex, certificatePath: copyPath, keyPath: nil,
            recordedAt: date)
        return (
            NewFile(bytes: Self.certificatePEM(info.der), mode: AtomicFile.publicMode, destination: copyPath), record
        )
    }

    /// How an intermediate records its own CA: the current CA at `ca.crt` and `ca.key`, with
    /// the intermediate profile (so doctor, rollover and adoption know it has a chain above).
    static func intermediateCARecord(
        _ info: CertificateInfo, name: String, issuerFingerprint: String, at date: Date
    ) -> InventoryRecord {
        InventoryRecord(
            certificate: info, name: name, kind: .ca, profile: CertificateProfile.Role.intermediateCA.rawValue,
            issuerFingerprint: issuerFingerprint, caRole: .current, certificatePath: "ca.crt", keyPath: "ca.key",
            recordedAt: date)
    }
}
