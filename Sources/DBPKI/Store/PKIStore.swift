import Foundation
import GRDB

/// A PKI directory opened for work: its lock held, its inventory open, and any operation
/// a crash interrupted finished (or, if it had not started changing anything, undone).
///
/// Every change to the directory is one journaled operation:
///
/// 1. the new files (keys, certificates) are written and synced under `PKI/.staging/`;
/// 2. one transaction records the inventory changes together with the operation's list
///    of renames (old files to `history/` or `ca-old.*`, staged files into place),
///    each with the SHA-256 of the bytes that must end up at its destination;
/// 3. the renames are made, in order (a certificate always after its key);
/// 4. a second transaction marks the operation done.
///
/// A crash before step 2 leaves only staged files, which the next open removes (roll
/// back). A crash after it leaves a pending operation, whose renames the next open
/// replays (roll forward): a rename whose destination already holds the expected bytes
/// is skipped. Either way no reader ever sees a key without its certificate, and the
/// inventory never records a file that will not be there. ``Failpoint``s between the
/// steps let tests kill the process at each of them.
///
/// An I/O error after step 2 (a rename, a directory sync, the second transaction) does
/// not undo anything: the steps after the commit point are retried once in the same run,
/// and if they fail again the error says the operation is recorded and that the next
/// dbpki command finishes it (as it would after a crash).
///
/// Opening refuses symbolic links at the entries dbpki writes through
/// (``PKIDirectory/linkCheckedEntries``), and creates a missing inventory under a
/// temporary name, renamed into place only when it is complete: an
/// `inventory.sqlite` that exists is always a whole one, and one that is empty or
/// unreadable is an error, never re-adopted from the files.
public final class PKIStore {
    /// How to open a directory.
    public struct Options {
        /// Create the directory (for `init`); otherwise it must hold a CA or an inventory.
        public var create: Bool
        /// How long to wait for another dbpki process's lock.
        public var lockTimeout: TimeInterval
        /// Called once when the lock is taken and this process has to wait.
        public var onWait: (() -> Void)?
        /// Throw when an interrupted operation cannot be finished (false for `doctor`,
        /// which reports it instead).
        public var strictRecovery: Bool

        /// Options; defaults suit every mutating command.
        public init(
            create: Bool = false, lockTimeout: TimeInterval = PKILock.defaultTimeout, onWait: (() -> Void)? = nil,
            strictRecovery: Bool = true
        ) {
            self.create = create
            self.lockTimeout = lockTimeout
            self.onWait = onWait
            self.strictRecovery = strictRecovery
        }
    }

    /// A new file an operation installs.
    struct NewFile {
        var bytes: [UInt8]
        var mode: mode_t
        /// Destination relative to the PKI directory.
        var destination: String
    }

    /// The directory.
    public let directory: PKIDirectory
    /// The one engine every operation of this store parses, signs and generates keys with.
    public let backend: any PKIBackend
    /// The clock every operation takes its time from: notBefore, inventory times, CRL dates.
    public let clock: @Sendable () -> Date
    /// Where the keys are kept and how they are read back.
    public let keyStore: KeyStore
    /// Signs through ``backend`` at ``clock``'s time; its serial source may be replaced
    /// (tests force collisions with it).
    public var issuer: CertificateIssuer
    /// The inventory.
    public private(set) var inventory: Inventory
    /// What opening did that a user should hear about (adoption, recovery), one line each.
    public private(set) var notices: [String] = []
    /// Interrupted operations that could not be finished (only without `strictRecovery`).
    public private(set) var recoveryProblems: [String] = []
    /// Symbolic links planted inside the directory (only without `strictRecovery`, which
    /// refuses them; `doctor` reports them).
    public let plantedLinks: [SymbolicLink]

    private let lock: PKILock
    let journal: FileJournal

    /// Opens `directory`: takes the lock, opens (or creates, or adopts) the inventory and
    /// finishes or undoes what a crash interrupted. `backend`, `clock` and `keyStore` are
    /// this store's for its whole life; operations take only what varies per call.
    public init(
        _ directory: PKIDirectory, backend: any PKIBackend, clock: @escaping @Sendable () -> Date = { Date() },
        keyStore: KeyStore = .plainFiles, options: Options = Options()
    ) throws {
        let directory = directory.resolvingLink()
        if options.create {
            try AtomicFile.makeDirectory(directory.path)
        } else if !FileManager.default.fileExists(atPath: directory.caCertificatePath)
            && !SymbolicLink.exists(directory.inventoryPath)
        {
            throw PKIError(
                .notFound, "\(directory.path) has no CA", remedy: Remedy(.createCA, directory: directory.path))
        }
        let links = directory.plantedLinks()
        // doctor reports links at the folders; the lock and the inventory are never opened through one.
        let reportable = Set(
            [PKIDirectory.stagingFolder, PKIDirectory.historyFolder, "issued"].map(directory.absolute))
        if let link = links.first(where: {
            options.strictRecovery || !reportable.contains($0.path) || !SymbolicLink.exists(directory.inventoryPath)
        }) {
            throw link.error(use: "inside a PKI directory")
        }
        self.directory = directory
        self.backend = backend
        self.clock = clock
        self.keyStore = keyStore
        issuer = CertificateIssuer(backend: backend, now: clock)
        plantedLinks = links
        lock = try PKILock(path: directory.lockPath, timeout: options.lockTimeout, onWait: options.onWait)
        try Self.refuseDuringHandOver(directory)
        let opened = try Self.openInventory(directory, backend: backend, at: clock())
        inventory = opened.inventory
        notices = opened.notices
        journal = FileJournal(root: directory.path) { Hex.encode(try backend.digest(.sha256, $0)) }
        if try !inventory.read(Inventory.isInitialized) {
            // Made by a version that could stop between creating the tables and recording the files.
            notices += try Self.adopt(into: inventory, directory: directory, backend: backend, at: clock())
        }
        if links.isEmpty {
            try recover(strict: options.strictRecovery)
        } else {
            let pending = try inventory.read { db in
                try JournalOperation.filter(Column("state") == "pending").fetchCount(db)
            }
            if pending > 0 {
                recoveryProblems.append(
                    "\(pending) interrupted operation\(pending == 1 ? " is" : "s are") left unfinished until the "
                        + "symbolic links are replaced")
            }
        }
    }

    /// The time now by the store's clock, in whole seconds (certificates and the inventory
    /// keep no fractions).
    var now: Date { UTCClock.wholeSecond(clock()) }

    // MARK: - Operations

    /// Runs one journaled operation (see the type's discussion): stages `newFiles`, records
    /// `changes` and the renames in one transaction, renames, marks the operation done.
    /// `archives` are existing files (relative paths) moved aside first; `handovers` are
    /// files staged in another PKI directory, moved last (see ``FileMove/handedOver``).
    func commit(
        kind: String, summary: String, archives: [(from: String, to: String)], newFiles: [NewFile], at date: Date,
        changes: [InventoryChange], handovers: [FileMove] = []
    ) throws {
        var moves = [FileMove]()
        for archive in archives {
            let bytes = try InputFile.read(directory.absolute(archive.from))
            moves.append(FileMove(from: archive.from, to: archive.to, sha256: try journal.sha256(bytes)))
        }
        var staged = [String]()
        defer {
            // Until the transaction commits, staged files are the only trace: remove them on any error.
            for path in staged { unlink(directory.absolute(path)) }
        }
        if !newFiles.isEmpty { try AtomicFile.makeDirectory(directory.stagingPath, mode: 0o700) }
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        for (index, file) in newFiles.enumerated() {
            let name = URL(fileURLWithPath: file.destination).lastPathComponent
            let stagedPath = "\(PKIDirectory.stagingFolder)/\(tag)-\(index)-\(name)"
            try AtomicFile.write(file.bytes, to: directory.absolute(stagedPath), mode: file.mode, overwrite: false)
            staged.append(stagedPath)
            moves.append(FileMove(from: stagedPath, to: file.destination, sha256: try journal.sha256(file.bytes)))
        }
        moves += handovers
        Failpoint.hit("\(kind).after-stage")
        var operation = JournalOperation(
            kind: kind, summary: summary, state: "pending", moves: moves, startedAt: date, finishedAt: nil)
        try inventory.write { db in
            _ = try Inventory.apply(changes, in: db)
            try operation.insert(db)
        }
        staged = []
        Failpoint.hit("\(kind).after-journal")
        // The operation is recorded: an I/O error from here on is retried once, then left to the next command.
        do {
            try finish(&operation, at: date)
        } catch is PKIError {
            do {
                try finish(&operation, at: date)
            } catch let error as PKIError {
                throw PKIError(
                    error.code, error.message, remedy: Remedy(.finishedByNextCommand, directory: directory.path))
            }
        }
        Failpoint.hit("\(kind).done")
    }

    /// Steps 3 and 4 of a recorded operation: the renames (each skipped when already
    /// made), the directory syncs, and the transaction that marks it done.
    private func finish(_ operation: inout JournalOperation, at date: Date) throws {
        let kind = operation.kind
        for (index, move) in operation.moves.enumerated() {
            try journal.perform(move, failpoint: "\(kind).move-\(index + 1)")
            Failpoint.hit("\(kind).after-move-\(index + 1)")
        }
        try journal.syncDirectories(of: operation.moves, failpoint: "\(kind).sync")
        operation.state = "done"
        operation.finishedAt = date
        if let injected = Failpoint.injectedError("\(kind).mark-done") {
            throw PKIError(.io, "\(inventory.path): disk I/O error (\(String(cString: strerror(injected))))")
        }
        let finished = operation
        try inventory.write { db in try finished.update(db) }
    }

    /// Signs `profile` for `key`, drawing a new serial until `(issuer, serial)` is unused
    /// in the inventory (serials never repeat).
    func sign(
        _ profile: CertificateProfile, key: PrivateKey, authority: SigningAuthority?
    ) throws -> CertificateInfo {
        try withUnusedSerial { try issuer.issue(profile, subjectKey: key, authority: authority) }
    }

    /// Signs `profile` for a public key whose private key is held elsewhere (a request's),
    /// with the same unused-serial rule.
    func sign(
        _ profile: CertificateProfile, publicKeyInfo: [UInt8], keyDescription: PublicKeyDescription,
        authority: SigningAuthority
    ) throws -> CertificateInfo {
        try withUnusedSerial {
            try issuer.issue(
                profile, subjectPublicKeyInfo: publicKeyInfo, keyDescription: keyDescription, authority: authority)
        }
    }

    private func withUnusedSerial(_ make: () throws -> [UInt8]) throws -> CertificateInfo {
        for _ in 0..<8 {
            let der = try make()
            let info = try backend.parseCertificate(der: der)
            let taken = try inventory.read {
                try Inventory.serialExists(issuer: info.issuer, serial: info.serialHex, in: $0)
            }
            if !taken { return info }
        }
        throw PKIError(.engine, "no unused serial number in 8 draws; the random source is broken")
    }

    /// The issuing CA, its files checked against the inventory (``checkedAuthority(_:)``).
    public func currentAuthority() throws -> SigningAuthority {
        try checkedAuthority(.current)
    }

    static func certificatePEM(_ der: [UInt8]) -> [UInt8] {
        Array(PEM.encode(label: "CERTIFICATE", der: der).utf8)
    }

    // MARK: - init and issue

    /// Creates the self-signed root CA, refusing to overwrite an existing one.
    @discardableResult
    /// `under` holds the attributes put before the CN (O, OU, ...), in encoded order.
    public func createCA(
        name: String, keyType: KeyType, days: Int, under: DistinguishedName = DistinguishedName([])
    ) throws -> CertificateInfo {
        guard !directory.hasCA, try inventory.ca(.current) == nil else {
            throw PKIError(
                .alreadyExists,
                "\(directory.path) already has a CA (\(directory.caCertificatePath)); refusing to overwrite it")
        }
        let key = try backend.generatePrivateKey(keyType)
        Failpoint.hit("init.after-key")
        let (info, record, files) = try newRootCA(name: name, days: days, key: key, under: under)
        try commit(
            kind: "init", summary: "root CA \(info.subject)", archives: [], newFiles: files, at: record.recordedAt,
            changes: [.insert(record)])
        return info
    }

    /// A new self-signed root CA for `key`, its inventory record as the current CA, and the
    /// files it is installed as (`ca.key`, `ca.crt`): what `init` and `ca rollover` both make.
    /// `encryptKey` encrypts `ca.key` even when the key store writes plain keys (a rollover
    /// keeps the old CA key's protection).
    func newRootCA(
        name: String, days: Int, key: PrivateKey, under: DistinguishedName = DistinguishedName([]),
        encryptKey: Bool = false
    ) throws
        -> (info: CertificateInfo, record: InventoryRecord, files: [NewFile])
    {
        let info = try sign(.rootCA(name: name, days: days, under: under), key: key, authority: nil)
        let record = InventoryRecord(
            certificate: info, name: name, kind: .ca, profile: CertificateProfile.Role.rootCA.rawValue,
            issuerFingerprint: info.fingerprintHex, caRole: .current, certificatePath: "ca.crt", keyPath: "ca.key",
            recordedAt: now)
        let files = [
            NewFile(
                bytes: try keyStore.fileContents(for: key, using: backend, encrypt: encryptKey),
                mode: AtomicFile.privateMode, destination: "ca.key"),
            NewFile(bytes: Self.certificatePEM(info.der), mode: AtomicFile.publicMode, destination: "ca.crt"),
        ]
        return (info, record, files)
    }

    /// Issues NAME under `profile` with a new key, signed by the current CA. With `force`
    /// an existing NAME is replaced: its certificate moves to `history/` and is marked
    /// superseded (unless revoked); its key is replaced by the new one.
    @discardableResult
    public func issue(
        name: String, profile: CertificateProfile, keyType: KeyType, force: Bool = false
    ) throws -> CertificateInfo {
        try PKIDirectory.validate(name: name)
        let existing = try inventory.current(name: name)
        if !force && (existing != nil || FileManager.default.fileExists(atPath: directory.certificatePath(of: name))) {
            throw PKIError(
                .alreadyExists,
                "\(name) is already issued (\(directory.certificatePath(of: name)))",
                remedy: Remedy(.replaceOrRenew, directory: directory.path, name: name))
        }
        let authority = try currentAuthority()
        let key = try backend.generatePrivateKey(keyType)
        Failpoint.hit("issue.after-key")
        let info = try sign(profile, key: key, authority: authority)
        try replace(
            name: name, existing: existing, with: info, key: key, keepKey: false,
            kind: profile.role == .client ? .client : .server, profile: profile.role.rawValue,
            authority: authority, operation: "issue")
        return info
    }

    /// Installs `info` (and `key`, unless `keepKey`) at `issued/NAME.*`, moving the
    /// certificate there before to `history/NAME-SERIAL.crt`. A nil `key` is one held
    /// elsewhere (a signed request's): no key file, and the record says so.
    func replace(
        name: String, existing: InventoryRecord?, with info: CertificateInfo, key: PrivateKey?, keepKey: Bool,
        kind: InventoryRecord.Kind, profile: String, authority: SigningAuthority, operation: String
    ) throws {
        let date = now
        let certificatePath = "issued/\(name).crt"
        let keyPath = "issued/\(name).key"
        var archives = [(from: String, to: String)]()
        var previous = existing
        if var old = previous {
            let historyPath = "\(PKIDirectory.historyFolder)/\(name)-\(old.serial).crt"
            // A certificate file deleted by hand stays recorded at its history path, for doctor to report.
            if FileManager.default.fileExists(atPath: directory.absolute(certificatePath)) {
                archives.append((certificatePath, historyPath))
            }
            old.certificatePath = historyPath
            old.keyPath = nil
            if old.status == .active {
                old.status = .superseded
                old.supersededAt = date
            }
            previous = old
        }
        var newFiles = [NewFile]()
        if !keepKey, let key {
            // A key that was encrypted is not replaced by a plain one.
            let wasEncrypted = KeyStore.isEncryptedKeyFile(at: directory.absolute(keyPath))
            newFiles.append(
                NewFile(
                    bytes: try keyStore.fileContents(for: key, role: .leaf, using: backend, encrypt: wasEncrypted),
                    mode: AtomicFile.privateMode, destination: keyPath))
        }
        // In a PKI whose CA is an intermediate, the file is the leaf then the intermediates (never the root).
        let chain = [info.der] + (try intermediates(below: authority))
        newFiles.append(
            NewFile(
                bytes: Array(BundleMaterial.pem(chain).utf8), mode: AtomicFile.publicMode, destination: certificatePath)
        )
        let record = InventoryRecord(
            certificate: info, name: name, kind: kind, profile: profile,
            issuerFingerprint: authority.info.fingerprintHex,
            certificatePath: certificatePath, keyPath: key == nil ? nil : keyPath, keyHeldElsewhere: key == nil,
            recordedAt: date)
        try commit(
            kind: operation, summary: "\(name) serial \(info.serialHex)", archives: archives, newFiles: newFiles,
            at: date, changes: (previous.map { [.update($0)] } ?? []) + [.insert(record)])
    }

    // MARK: - Recovery and adoption

    /// Opens the inventory again and finishes what it has pending: after a parent's operation
    /// handed this directory a new inventory (an intermediate's rollover).
    func reopenInventory() throws {
        inventory = try Inventory.openExisting(path: directory.inventoryPath)
        try recover(strict: true)
    }

    /// Replays pending operations, then removes staged files nothing refers to.
    func recover(strict: Bool) throws {
        let pending = try inventory.read { db in
            try JournalOperation.filter(Column("state") == "pending").order(Column("id")).fetchAll(db)
        }
        var stillPending = [JournalOperation]()
        for var operation in pending {
            do {
                for move in operation.moves { try journal.perform(move) }
                try journal.syncDirectories(of: operation.moves)
                operation.state = "done"
                operation.finishedAt = now
                let finished = operation
                try inventory.write { db in try finished.update(db) }
                notices.append("finished an interrupted \(operation.kind) (\(operation.summary))")
            } catch let error as PKIError {
                let problem =
                    "an interrupted \(operation.kind) (\(operation.summary), operation \(operation.id ?? 0)) "
                    + "cannot be finished: \(error.message)"
                if strict { throw PKIError(.io, problem, remedy: Remedy(.runDoctor, directory: directory.path)) }
                recoveryProblems.append(problem)
                stillPending.append(operation)
            }
        }
        let referenced = Set(stillPending.flatMap { $0.moves.map(\.from) })
        let staged = (try? FileManager.default.contentsOfDirectory(atPath: directory.stagingPath)) ?? []
        var removed = 0
        for file in staged where !referenced.contains("\(PKIDirectory.stagingFolder)/\(file)") {
            if unlink(directory.stagingPath + "/" + file) == 0 { removed += 1 }
        }
        if removed > 0 {
            notices.append(
                "rolled back an interrupted operation that had not changed the PKI yet (removed \(removed) staged file"
                    + (removed == 1 ? ")" : "s)"))
        }
    }

    /// Opens the directory's inventory. One that does not exist is created (and the files
    /// already there recorded) under a temporary name, then renamed into place complete;
    /// one that exists must be usable (``Inventory/openExisting(path:)``).
    private static func openInventory(_ directory: PKIDirectory, backend: any PKIBackend, at date: Date) throws -> (
        inventory: Inventory, notices: [String]
    ) {
        let path = directory.inventoryPath
        if SymbolicLink.exists(path) { return (try Inventory.openExisting(path: path), []) }
        let prefix = ".inventory.sqlite.new-"
        // Left by a process killed while creating one (the lock is held, so nobody else is).
        for file in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        where file.hasPrefix(prefix) {
            unlink(directory.absolute(file))
        }
        let temporary = directory.absolute(prefix + String(UInt32.random(in: 0...UInt32.max), radix: 16))
        var notices = [String]()
        do {
            let fresh = try Inventory(path: temporary)
            notices = try adopt(into: fresh, directory: directory, backend: backend, at: date)
            try fresh.closeDatabase()
            Failpoint.hit("open.after-inventory")
            // The lock is held and the name was free: a rename leaves no second name behind a kill.
            guard rename(temporary, path) == 0 else {
                throw PKIError(.io, "\(path): cannot create (\(String(cString: strerror(errno))))")
            }
        } catch {
            unlink(temporary)
            unlink(temporary + "-journal")
            throw error
        }
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        return (try Inventory.openExisting(path: path), notices)
    }

    /// Records the files of a directory that has no inventory yet (made before dbpki kept
    /// one, or whose inventory was removed): CAs, issued and history certificates.
    private static func adopt(
        into inventory: Inventory, directory: PKIDirectory, backend: any PKIBackend, at date: Date
    ) throws
        -> [String]
    {
        let adoption = try LegacyAdoption(directory: directory, backend: backend).records(at: date)
        return try inventory.write { db in
            var skipped = 0
            for var record in adoption {
                if try Inventory.serialExists(issuer: record.issuer, serial: record.serial, in: db)
                    || InventoryRecord.filter(Column("fingerprint") == record.fingerprint).fetchCount(db) > 0
                {
                    skipped += 1
                    continue
                }
                try record.insert(db)
            }
            try Inventory.markInitialized(db, how: adoption.isEmpty ? "created" : "adopted")
            guard !adoption.isEmpty else { return [] }
            let cas = adoption.filter { $0.kind == .ca }.count
            return [
                "adopted \(directory.path) into its new inventory: \(cas) CA\(cas == 1 ? "" : "s") and "
                    + "\(adoption.count - cas - skipped) certificate\(adoption.count - cas - skipped == 1 ? "" : "s")"
                    + (skipped > 0 ? " (\(skipped) duplicate file\(skipped == 1 ? "" : "s") not recorded)" : "")
            ]
        }
    }
}
