/// One change to the inventory that an operation records together with its file renames,
/// so callers outside `Store/` describe changes as values and never see the database.
public enum InventoryChange: Sendable {
    /// A new record (a CA, a leaf).
    case insert(InventoryRecord)
    /// An existing record (matched by its id) with new values: superseded, demoted, retired, revoked.
    case update(InventoryRecord)
    /// The PKI waits for its CA certificate (its key and request were made, `init --csr-out`): the
    /// request's path, relative to the PKI directory, or nil when it waits no more.
    case awaitCACertificate(request: String?)
}
