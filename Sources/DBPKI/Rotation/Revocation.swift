import Foundation

extension RevocationReason {
    /// The reasons `dbpki revoke` accepts: RFC 5280's reasons that apply to a leaf and
    /// are final. `certificateHold` (reversible) and `removeFromCRL` are left out because
    /// dbpki never un-revokes; `cACompromise` and `aACompromise` because dbpki revokes
    /// leaves, not CAs or attribute authorities.
    public static let revokeChoices: [RevocationReason] = [
        .unspecified, .keyCompromise, .affiliationChanged, .superseded, .cessationOfOperation, .privilegeWithdrawn,
    ]

    /// Parses a reason name, ignoring case (`keyCompromise`, `keycompromise`).
    public static func parse(_ text: String) throws -> RevocationReason {
        guard let reason = revokeChoices.first(where: { $0.name.lowercased() == text.lowercased() }) else {
            throw PKIError(
                .invalidArgument,
                "unknown revocation reason '\(text)' (choose one of: \(revokeChoices.map(\.name).joined(separator: ", ")))"
            )
        }
        return reason
    }
}

extension PKIStore {
    /// Marks a leaf revoked in the inventory, with `reason` and `date`: by NAME (the
    /// certificate at `issued/NAME.crt`) or by serial (any leaf, including a superseded
    /// one, or an intermediate CA this PKI's CA signed). Its CA's next CRL lists it.
    @discardableResult
    public func revoke(
        name: String? = nil, serial: String? = nil, reason: RevocationReason
    ) throws -> InventoryRecord {
        var record: InventoryRecord
        if let name {
            try PKIDirectory.validate(name: name)
            guard let found = try inventory.current(name: name) else {
                throw PKIError(.notFound, "no certificate named '\(name)' in \(directory.path)")
            }
            record = found
        } else if let serial {
            let wanted = Self.normalizedSerial(serial)
            guard !wanted.isEmpty, wanted.allSatisfy(\.isHexDigit) else {
                throw PKIError(.invalidArgument, "'\(serial)' is not a serial number in hex")
            }
            let matches = try inventory.records(serial: wanted)
            guard let first = matches.first else {
                throw PKIError(.notFound, "no certificate with serial \(wanted) in \(directory.path)")
            }
            guard matches.count == 1 else {
                throw PKIError(
                    .invalidArgument,
                    "serial \(wanted) matches \(matches.count) certificates (\(matches.map(\.name).joined(separator: ", "))); revoke by NAME"
                )
            }
            record = first
        } else {
            throw PKIError(.invalidArgument, "a certificate name or a serial number is needed")
        }
        guard record.kind != .ca || record.isSignedIntermediate else {
            throw PKIError(
                .invalidArgument,
                "'\(record.name)' is a CA; dbpki revokes server and client certificates",
                remedy: Remedy(.retireCAInstead, directory: directory.path))
        }
        guard record.status != .revoked else {
            throw PKIError(
                .alreadyExists,
                "'\(record.name)' serial \(record.serial) is already revoked (\(record.revocationReason ?? "unspecified"), "
                    + "\(record.revokedAt.map(RFC3339.format) ?? "?"))")
        }
        record.status = .revoked
        record.revocationReason = reason.name
        record.revokedAt = now
        let revoked = record
        try inventory.apply([.update(revoked)])
        return revoked
    }

    /// Lowercase hex without colons, spaces or leading zeros.
    static func normalizedSerial(_ text: String) -> String {
        let clean = text.lowercased().filter { $0 != ":" && $0 != " " }
        let trimmed = clean.drop { $0 == "0" }
        return trimmed.isEmpty && !clean.isEmpty ? "0" : String(trimmed)
    }
}
