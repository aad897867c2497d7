import Foundation

/// The directory that is to hold a new intermediate CA (`init --parent`), locked together
/// with its parent PKI.
///
/// Two PKI directories are locked at once only here, and always in one fixed order (by
/// their resolved paths), so two runs that name the same two directories the other way
/// round wait for each other instead of each holding one lock and waiting for the other.
/// A directory this site created is removed again when the creation fails
/// (``abandon()``), so a refused `init --parent` leaves nothing behind.
public final class IntermediateSite {
    /// The intermediate's PKI directory.
    public let directory: PKIDirectory
    private var lock: PKILock?
    private let createdDirectory: Bool
    private let createdLockFile: Bool

    /// Locks `child` and opens `parent` (through `openParent`, which takes the parent's lock),
    /// in the order of their paths. `parent` must already be a PKI; `child` must not hold a CA.
    public static func open(
        _ child: PKIDirectory, parent: PKIDirectory, lockTimeout: TimeInterval = PKILock.defaultTimeout,
        openParent: (PKIDirectory) throws -> PKIStore
    ) throws -> (site: IntermediateSite, parent: PKIStore) {
        let child = child.resolvingLink()
        let parent = parent.resolvingLink()
        guard child.path != parent.path else {
            throw PKIError(.invalidArgument, "\(child.path) cannot be its own parent")
        }
        guard parent.hasCA || SymbolicLink.exists(parent.inventoryPath) else {
            throw PKIError(
                .notFound, "\(parent.path) is not a PKI directory (it has no CA)",
                remedy: Remedy(.createCA, directory: parent.path))
        }
        if child.path < parent.path {
            let site = try IntermediateSite(child, lockTimeout: lockTimeout)
            do {
                return (site, try openParent(parent))
            } catch {
                site.abandon()
                throw error
            }
        }
        let store = try openParent(parent)
        return (try IntermediateSite(child, lockTimeout: lockTimeout), store)
    }

    private init(_ directory: PKIDirectory, lockTimeout: TimeInterval) throws {
        self.directory = directory
        createdDirectory = !FileManager.default.fileExists(atPath: directory.path)
        try AtomicFile.makeDirectory(directory.path)
        createdLockFile = !SymbolicLink.exists(directory.lockPath)
        do {
            if let link = directory.plantedLinks().first { throw link.error(use: "inside a PKI directory") }
            lock = try PKILock(path: directory.lockPath, timeout: lockTimeout)
            if directory.hasCA || SymbolicLink.exists(directory.inventoryPath)
                || SymbolicLink.exists(directory.chainAbovePath)
            {
                throw PKIError(
                    .alreadyExists,
                    "\(directory.path) already has a CA (\(directory.caCertificatePath)); refusing to overwrite it")
            }
        } catch {
            abandon()
            throw error
        }
    }

    /// Removes what opening the site made (the lock file, an empty staging folder, the
    /// directory) and releases the lock: the creation did not happen.
    public func abandon() {
        if createdLockFile { unlink(directory.lockPath) }
        rmdir(directory.stagingPath)
        lock = nil
        if createdDirectory { rmdir(directory.path) }
    }

    /// Releases the lock (the intermediate's own store then takes it).
    func release() { lock = nil }
}
