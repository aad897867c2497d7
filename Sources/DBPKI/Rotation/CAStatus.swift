import Foundation

/// Where a PKI is in a CA rollover, and what is left to do.
public struct CAStatus: Sendable {
    /// The rollover phase.
    public enum Phase: String, Sendable {
        /// One CA; no rollover in progress.
        case singleCA = "single-ca"
        /// A new CA issues, the old one is still trusted, and active certificates are still signed by it.
        case rolloverInProgress = "rollover-in-progress"
        /// A new CA issues and nothing active is signed by the old one any more: `ca retire-old` is next.
        case readyToRetire = "ready-to-retire"

        /// The phase in words.
        public var text: String {
            switch self {
            case .singleCA: "single CA"
            case .rolloverInProgress: "rollover in progress"
            case .readyToRetire: "rollover in progress, ready to retire the old CA"
            }
        }
    }

    /// The phase.
    public var phase: Phase
    /// The issuing CA.
    public var current: InventoryRecord?
    /// The old CA during a rollover.
    public var old: InventoryRecord?
    /// Active certificates still signed by the old CA.
    public var stillOnOldCA: [InventoryRecord]
    /// CAs retired before.
    public var retired: [InventoryRecord]
    /// Active certificates signed by a retired CA (left behind by `ca retire-old --force`):
    /// clients with the new-only bundle no longer trust them.
    public var stillOnRetiredCA: [InventoryRecord]
}

extension PKIStore {
    /// The rollover phase, both CAs and the certificates still signed by the old one.
    public func caStatus() throws -> CAStatus {
        let current = try inventory.ca(.current)
        let old = try inventory.ca(.old)
        let still = try old.map { try inventory.activeLeaves(issuedBy: $0.fingerprint) } ?? []
        let retired = try inventory.all().filter { $0.kind == .ca && $0.caRole == .retired }
        let stranded = try retired.flatMap { try inventory.activeLeaves(issuedBy: $0.fingerprint) }
        let phase: CAStatus.Phase = old == nil ? .singleCA : (still.isEmpty ? .readyToRetire : .rolloverInProgress)
        return CAStatus(
            phase: phase, current: current, old: old, stillOnOldCA: still, retired: retired,
            stillOnRetiredCA: stranded)
    }
}
