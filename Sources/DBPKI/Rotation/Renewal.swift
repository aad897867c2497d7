import Foundation

/// What `renew` did to one certificate.
public struct Renewal: Sendable {
    /// The name renewed.
    public var name: String
    /// The record of the certificate it replaced (now superseded, under `history/`).
    public var previous: InventoryRecord
    /// The new certificate.
    public var certificate: CertificateInfo
    /// True when the key was kept (`--reuse-key`).
    public var reusedKey: Bool
}

extension PKIStore {
    /// Renews NAME: the same subject (its O, OU, ... and CN), names and profile (server,
    /// client or member), signed by the current CA with a new serial, at the same paths. The
    /// validity is `days`, or when nil the replaced certificate's length (notAfter − notBefore
    /// less the backdate, in whole days rounded to the nearest, at least 1); either way capped
    /// by the CA. The previous
    /// certificate moves to `history/NAME-SERIAL.crt` and is marked superseded (a revoked
    /// one stays revoked). The key is new (of `keyType`, or the same type as before)
    /// unless `reuseKey`. A certificate signed from a request keeps its public key (its
    /// private key is held elsewhere), so it takes no `keyType`.
    @discardableResult
    public func renew(
        name: String, days: Int? = nil, keyType: KeyType? = nil, reuseKey: Bool = false
    ) throws -> Renewal {
        try PKIDirectory.validate(name: name)
        if reuseKey && keyType != nil {
            throw PKIError(.invalidArgument, "a reused key keeps its type, so no other key type can be asked for")
        }
        guard let record = try inventory.current(name: name) else {
            throw PKIError(
                .notFound, "no certificate named '\(name)' in \(directory.path)",
                remedy: Remedy(.issueFirst, directory: directory.path, name: name))
        }
        if reuseKey && record.status == .revoked {
            throw PKIError(
                .invalidArgument,
                "'\(name)' is revoked (\(record.revocationReason ?? "unspecified"))",
                remedy: Remedy(.renewWithNewKey, directory: directory.path, name: name))
        }
        if record.keyHeldElsewhere && (keyType != nil || record.status == .revoked) {
            // Its key is on the requester's host: renewing certifies that key again, or not at all.
            throw PKIError(
                .invalidArgument,
                record.status == .revoked
                    ? "'\(name)' is revoked and was signed from a request: its key is not to be certified again"
                    : "'\(name)' was signed from a request: its key is held on its host, so renewing keeps it and "
                        + "no other key type can be asked for",
                remedy: Remedy(.signNewRequest, directory: directory.path, name: name))
        }
        // The old key matters only when it is kept: a new key replaces a missing or foreign one.
        let files = try checked(record, key: reuseKey && !record.keyHeldElsewhere)
        let info = try backend.parseCertificate(der: files.certificates[0])
        let role: CertificateProfile.Role =
            record.profile == CertificateProfile.Role.member.rawValue
            ? .member : record.kind == .client ? .client : .server
        // The subject as it was, attribute by attribute; a name dbpki cannot read back keeps only the CN, as before.
        let subject =
            RFC4514.parseName(info.subject).flatMap { $0.attributes.last?.oid == "2.5.4.3" ? $0 : nil }
            ?? .commonName(LegacyAdoption.commonName(of: info.subject) ?? name)
        let length = info.notAfter.timeIntervalSince(info.notBefore) - CertificateProfile.backdate
        let profile = CertificateProfile(
            role: role, subject: subject,
            subjectAlternativeNames: info.subjectAlternativeNames.filter {
                switch $0 {
                case .dns, .ip, .email, .uri: true
                case .other: false
                }
            }, days: days ?? Self.wholeDays(length))
        if record.keyHeldElsewhere {
            let authority = try currentAuthority()
            let renewed = try sign(
                profile,
                publicKeyInfo: CertificateFieldReader.subjectPublicKeyInfo(ofCertificate: files.certificates[0]),
                keyDescription: info.publicKey, authority: authority)
            try replace(
                name: name, existing: record, with: renewed, key: nil, keepKey: true, kind: record.kind,
                profile: record.profile, authority: authority, operation: "renew")
            return Renewal(name: name, previous: record, certificate: renewed, reusedKey: true)
        }
        let key: PrivateKey
        if reuseKey, let oldKey = files.key {
            key = oldKey
        } else {
            key = try backend.generatePrivateKey(keyType ?? KeyType.matching(info.publicKey))
        }
        Failpoint.hit("renew.after-key")
        let authority = try currentAuthority()
        let renewed = try sign(profile, key: key, authority: authority)
        try replace(
            name: name, existing: record, with: renewed, key: key, keepKey: reuseKey, kind: record.kind,
            profile: record.profile, authority: authority, operation: "renew")
        return Renewal(name: name, previous: record, certificate: renewed, reusedKey: reuseKey)
    }

    /// How long a recorded certificate is valid, without the backdate.
    static func length(of record: InventoryRecord) -> TimeInterval {
        record.notAfter.timeIntervalSince(record.notBefore) - CertificateProfile.backdate
    }

    /// A validity length in whole days, rounded to the nearest, at least 1.
    static func wholeDays(_ interval: TimeInterval) -> Int {
        max(1, Int((interval / 86_400).rounded()))
    }

    /// Renews every active server and client certificate with less than `window` left
    /// before its notAfter, in name order.
    ///
    /// Refuses, renewing nothing, when the issuing CA itself expires inside the window:
    /// leaves are capped at the CA's notAfter, so renewing could not move them out of the
    /// window and every scheduled run would only issue new serials with the same end date.
    /// `dbpki ca rollover` is what the alarm asks for then. Refuses too when a due
    /// certificate would be renewed for no longer than the window (its own length, or
    /// `days`): it would be due again at once.
    public func renewExpiring(
        within window: TimeInterval, days: Int? = nil, keyType: KeyType? = nil,
        reuseKey: Bool = false
    ) throws -> [Renewal] {
        let limit = now.addingTimeInterval(window)
        let due = try inventory.all().filter {
            $0.kind != .ca && $0.status == .active && $0.certificatePath == "issued/\($0.name).crt"
                && $0.notAfter < limit
        }
        let authority = try currentAuthority().info
        if !due.isEmpty && authority.notAfter < limit {
            throw PKIError(
                .invalidArgument,
                "the issuing CA \(authority.subject) expires at \(RFC3339.format(authority.notAfter)), inside the window: "
                    + "renewed certificates cannot outlive it, so renewing \(due.map(\.name).joined(separator: ", ")) "
                    + "would not help", remedy: Remedy(.rolloverCA, directory: directory.path))
        }
        // Checked for all before any is renewed: a key held elsewhere keeps its type, so none is renewed half-way.
        let keptKeys = keyType == nil ? [] : due.filter(\.keyHeldElsewhere).map(\.name)
        if !keptKeys.isEmpty {
            throw PKIError(
                .invalidArgument,
                "\(keptKeys.joined(separator: ", ")) \(keptKeys.count == 1 ? "was" : "were") signed from a request: "
                    + "the key is held on its host, so renewing keeps it and no other key type can be asked for")
        }
        // A renewal as long as the window or shorter would be due again at once, and every
        // scheduled run would renew it again: refused, naming them, so --days can be given.
        let tooShort = due.map { ($0.name, days ?? Self.wholeDays(Self.length(of: $0))) }.filter {
            Double($0.1) * 86_400 <= window
        }
        if !tooShort.isEmpty {
            throw PKIError(
                .invalidArgument,
                "renewed for \(tooShort.map { "\($0.0) \($0.1) days" }.joined(separator: ", ")), "
                    + "\(tooShort.count == 1 ? "it" : "they") would be inside the \(Self.wholeDays(window))-day window "
                    + "again at once: renew for more days than the window")
        }
        return try due.map {
            try renew(name: $0.name, days: days, keyType: keyType, reuseKey: reuseKey)
        }
    }
}

extension KeyType {
    /// The key type of an existing key, for renewing it in kind (ECDSA P-256 when unknown).
    public static func matching(_ key: PublicKeyDescription) -> KeyType {
        switch key.algorithm {
        case .rsa:
            KeyType.allCases.first {
                $0.publicKeyDescription.algorithm == .rsa && $0.publicKeyDescription.bits == key.bits
            } ?? .rsa3072
        case .ed25519: .ed25519
        default: key.curve == "P-384" ? .ecdsaP384 : .ecdsaP256
        }
    }
}
