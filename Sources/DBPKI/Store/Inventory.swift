import Foundation
import GRDB

/// The issuance inventory: an SQLite database in the PKI directory (`PKI/inventory.sqlite`,
/// mode 0600) recording every CA and certificate dbpki made, its status, its files,
/// each CA's CRL number, and a journal of the file operations in flight.
///
/// The schema is built by numbered migrations, so later versions add to it without
/// losing what an older version wrote. `(issuer, serial)` is unique: a serial number
/// never repeats under one issuer name.
public final class Inventory: Sendable {
    /// The database file.
    public let path: String
    let queue: DatabaseQueue

    /// Opens (creating with mode 0600 when missing) and migrates the inventory at `path`.
    public init(path: String) throws {
        self.path = path
        if !SymbolicLink.exists(path) {
            // Created 0600 before SQLite sees it: SQLite keeps the mode, and gives it to its journal files.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd >= 0 { close(fd) }
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: Self.configuration)
            try Self.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw PKIError(.io, "\(path): cannot open the inventory (\(error.message ?? "\(error.resultCode)"))")
        }
    }

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        return configuration
    }

    /// Opens an inventory that must already exist and hold the inventory's tables, then
    /// brings its schema up to date. An empty file, a file that is not SQLite or a
    /// database without the tables is an ``PKIError/Code-swift.struct/invalidInput`` error
    /// (exit 65): it recorded what the files cannot tell (revocations, CRL numbers), so it
    /// is never rebuilt from the files behind the user's back.
    public static func openExisting(path: String) throws -> Inventory {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            throw PKIError(.notFound, "\(path): no such file")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw damaged(path, "is not a regular file") }
        guard status.st_size > 0 else { throw damaged(path, "is empty (0 bytes)") }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let tables = try queue.read { db in
                try ["grdb_migrations", "meta", "certificate", "crl", "operation"].filter { try db.tableExists($0) }
            }
            guard tables.count == 5 else {
                throw damaged(
                    path, tables.isEmpty ? "holds no inventory tables" : "lacks some of the inventory's tables")
            }
            try migrator.migrate(queue)
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_NOTADB { throw damaged(path, "is not an SQLite database") }
            throw damaged(path, "cannot be read (\(error.message ?? "\(error.resultCode)"))")
        }
        return Inventory(path: path, queue: queue)
    }

    /// The error for an inventory that exists but cannot be used.
    static func damaged(_ path: String, _ what: String) -> PKIError {
        PKIError(
            .invalidInput,
            "the inventory \(path) \(what); it recorded what the files cannot tell (revocations, CRL numbers), so "
                + "dbpki will not rebuild it from them: restore it from your backup (dbpki keeps no copy), or move it "
                + "aside to start a new inventory from the files (revoked certificates then count as active again and "
                + "CRL numbers restart at 1)")
    }

    /// Closes the database (before the file is renamed into place).
    func closeDatabase() throws {
        do {
            try queue.close()
        } catch let error as DatabaseError {
            throw PKIError(.io, "\(path): \(error.message ?? "\(error.resultCode)")")
        }
    }

    /// Runs `body` in one write transaction (inside `Store/` only: others describe
    /// changes as ``InventoryChange`` values).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write(body)
        } catch let error as DatabaseError {
            throw PKIError(.io, "\(path): \(error.message ?? "\(error.resultCode)")")
        }
    }

    /// Runs `body` on a read-only view.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch let error as DatabaseError {
            throw PKIError(.io, "\(path): \(error.message ?? "\(error.resultCode)")")
        }
    }

    /// Applies `changes` in one transaction, returning the inserted records with their ids.
    @discardableResult
    public func apply(_ changes: [InventoryChange]) throws -> [InventoryRecord] {
        try write { db in try Self.apply(changes, in: db) }
    }

    static func apply(_ changes: [InventoryChange], in db: Database) throws -> [InventoryRecord] {
        var inserted = [InventoryRecord]()
        for change in changes {
            switch change {
            case .insert(var record):
                try record.insert(db)
                inserted.append(record)
            case .update(let record):
                try record.update(db)
            case .awaitCACertificate(let request):
                if let request {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('pending_ca_request', ?)",
                        arguments: [request])
                } else {
                    try db.execute(sql: "DELETE FROM meta WHERE key = 'pending_ca_request'")
                }
            }
        }
        return inserted
    }

    /// Every record with this serial (lowercase hex without leading zeros), under any issuer.
    public func records(serial: String) throws -> [InventoryRecord] {
        try read { db in try InventoryRecord.filter(Column("serial") == serial).fetchAll(db) }
    }

    /// The last CRL number the CA with this fingerprint used (0 before its first CRL).
    public func lastCRLNumber(caFingerprint: String) throws -> Int64 {
        try read { db in try Self.lastCRLNumber(caFingerprint: caFingerprint, in: db) }
    }

    /// Every record, CAs first, then by name and issuance time.
    public func all() throws -> [InventoryRecord] {
        try read { db in
            try InventoryRecord.order(
                sql: "CASE kind WHEN 'ca' THEN 0 ELSE 1 END, name, not_before, id"
            ).fetchAll(db)
        }
    }

    /// The CA with `role`, if any.
    public func ca(_ role: InventoryRecord.CARole) throws -> InventoryRecord? {
        try read { db in try Self.ca(role, in: db) }
    }

    static func ca(_ role: InventoryRecord.CARole, in db: Database) throws -> InventoryRecord? {
        try InventoryRecord.filter(Column("kind") == "ca" && Column("ca_role") == role.rawValue).fetchOne(db)
    }

    /// The request (relative path) of a PKI waiting for its CA certificate; nil when it is not waiting.
    public func pendingCARequest() throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'pending_ca_request'") }
    }

    /// The leaf whose files are at `issued/NAME.*` (active or revoked), if any.
    public func current(name: String) throws -> InventoryRecord? {
        try read { db in try Self.current(name: name, in: db) }
    }

    static func current(name: String, in db: Database) throws -> InventoryRecord? {
        try InventoryRecord.filter(
            Column("kind") != "ca" && Column("name") == name && Column("certificate_path") == "issued/\(name).crt"
        ).order(Column("id").desc).fetchOne(db)
    }

    /// Active leaves signed by the CA with this fingerprint.
    public func activeLeaves(issuedBy fingerprint: String) throws -> [InventoryRecord] {
        try read { db in
            try InventoryRecord.filter(
                Column("kind") != "ca" && Column("status") == "active" && Column("issuer_fingerprint") == fingerprint
            ).order(Column("name")).fetchAll(db)
        }
    }

    /// True when `(issuer, serial)` is taken.
    static func serialExists(issuer: String, serial: String, in db: Database) throws -> Bool {
        try InventoryRecord.filter(Column("issuer") == issuer && Column("serial") == serial).fetchCount(db) > 0
    }

    /// The last CRL number the CA with this fingerprint used (0 before its first CRL).
    static func lastCRLNumber(caFingerprint: String, in db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT last_number FROM crl WHERE ca_fingerprint = ?", arguments: [caFingerprint])
            ?? 0
    }

    /// Stores `number` as the CA's last CRL number, before the CRL is handed out, so the
    /// numbers only ever increase (a CRL that is then not written at worst skips one).
    public func recordCRLNumber(_ number: Int64, caFingerprint: String, at date: Date) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO crl (ca_fingerprint, last_number, last_issued) VALUES (?, ?, ?)
                    ON CONFLICT(ca_fingerprint) DO UPDATE SET last_number = excluded.last_number,
                    last_issued = excluded.last_issued
                    """, arguments: [caFingerprint, number, date.timeIntervalSince1970])
        }
    }

    /// Whether the directory's existing files were taken in (a fresh or adopted inventory).
    static func isInitialized(_ db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'initialized'") != nil
    }

    static func markInitialized(_ db: Database, how: String) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('initialized', ?)", arguments: [how])
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-certificates") { db in
            try db.create(table: "meta") { table in
                table.primaryKey("key", .text)
                table.column("value", .text).notNull()
            }
            try db.create(table: "certificate") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull()
                table.column("kind", .text).notNull().check { ["ca", "server", "client"].contains($0) }
                table.column("serial", .text).notNull()
                table.column("issuer", .text).notNull()
                table.column("issuer_fingerprint", .text)
                table.column("subject", .text).notNull()
                table.column("sans", .text).notNull()
                table.column("profile", .text).notNull()
                table.column("key_type", .text).notNull()
                table.column("not_before", .double).notNull()
                table.column("not_after", .double).notNull()
                table.column("fingerprint", .text).notNull().unique()
                table.column("status", .text).notNull().check { ["active", "superseded", "revoked"].contains($0) }
                table.column("ca_role", .text).check { $0 == nil || ["current", "old", "retired"].contains($0) }
                table.column("revocation_reason", .text)
                table.column("revoked_at", .double)
                table.column("superseded_at", .double)
                table.column("certificate_path", .text).notNull()
                table.column("key_path", .text)
                table.column("recorded_at", .double).notNull()
                table.uniqueKey(["issuer", "serial"])
            }
            try db.create(index: "certificate_by_name", on: "certificate", columns: ["name"])
            try db.create(table: "crl") { table in
                table.primaryKey("ca_fingerprint", .text)
                table.column("last_number", .integer).notNull()
                table.column("last_issued", .double).notNull()
            }
            try db.create(table: "operation") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("kind", .text).notNull()
                table.column("summary", .text).notNull()
                table.column("state", .text).notNull().check { ["pending", "done"].contains($0) }
                table.column("moves", .text).notNull()
                table.column("started_at", .double).notNull()
                table.column("finished_at", .double)
            }
        }
        // A leaf signed from a request: its key stays on the requester's host, and no command
        // may look for it in the PKI.
        migrator.registerMigration("2-key-held-elsewhere") { db in
            try db.alter(table: "certificate") { table in
                table.add(column: "key_elsewhere", .boolean).notNull().defaults(to: false)
            }
        }
        return migrator
    }
}
