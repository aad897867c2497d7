import Foundation

/// Reads the certificates of a PKI directory that has no inventory, for
/// ``PKIStore`` to record: `ca.crt` (current CA), `ca-old.crt` (old CA),
/// `issued/*.crt` (active) and `history/*.crt` (retired CAs, superseded leaves).
struct LegacyAdoption {
    let directory: PKIDirectory
    let backend: any PKIBackend

    private struct Found {
        var info: CertificateInfo
        var record: InventoryRecord
    }

    func records(at date: Date) throws -> [InventoryRecord] {
        var found = [Found]()
        func add(
            _ relative: String, name: String?, status: InventoryRecord.Status, role: InventoryRecord.CARole?,
            signedIntermediate: Bool = false
        ) throws {
            let path = directory.absolute(relative)
            guard FileManager.default.fileExists(atPath: path) else { return }
            let der = try InputFile.decode(path, CertificateDecoder.certificates(from:))[0]
            let info = try InputFile.decode(path) { _ in try backend.parseCertificate(der: der) }
            let keyRelative = String(relative.dropLast(4)) + ".key"
            let hasKey = FileManager.default.fileExists(atPath: directory.absolute(keyRelative))
            let kind: InventoryRecord.Kind
            if info.isCA {
                kind = .ca
            } else if let usages = info.extendedKeyUsage, usages.contains(ExtendedKeyUsage.clientAuth),
                !usages.contains(ExtendedKeyUsage.serverAuth)
            {
                kind = .client
            } else {
                kind = .server
            }
            var leafName = name ?? URL(fileURLWithPath: relative).deletingPathExtension().lastPathComponent
            if name == nil, leafName.hasSuffix("-\(info.serialHex)") {
                leafName = String(leafName.dropLast(info.serialHex.count + 1))
            }
            let commonName = Self.commonName(of: info.subject)
            var record = InventoryRecord(
                certificate: info, name: kind == .ca ? (commonName ?? leafName) : leafName, kind: kind,
                profile: kind == .ca
                    ? (info.isSelfIssued ? CertificateProfile.Role.rootCA : CertificateProfile.Role.intermediateCA)
                        .rawValue : kind.rawValue,
                issuerFingerprint: info.isSelfIssued ? info.fingerprintHex : nil,
                status: kind == .ca && role == nil ? .superseded : status,
                caRole: kind == .ca ? (role ?? .retired) : nil, certificatePath: relative,
                keyPath: hasKey ? keyRelative : nil, recordedAt: date)
            if signedIntermediate && kind == .ca {
                // An intermediate this CA signed for another directory: active, its key kept there.
                record.caRole = nil
                record.status = .active
                record.profile = CertificateProfile.Role.intermediateCA.rawValue
                record.name = Self.commonName(ofLast: info.subject) ?? leafName
            }
            found.append(Found(info: info, record: record))
        }
        try add("ca.crt", name: nil, status: .active, role: .current)
        try add("ca-old.crt", name: nil, status: .active, role: .old)
        for file in Self.certificateFiles(in: directory.issuedPath) {
            try add("issued/\(file)", name: String(file.dropLast(4)), status: .active, role: nil)
        }
        for file in Self.certificateFiles(in: directory.absolute(PKIDirectory.intermediatesFolder)) {
            try add(
                "\(PKIDirectory.intermediatesFolder)/\(file)", name: nil, status: .active, role: nil,
                signedIntermediate: true)
        }
        for file in Self.certificateFiles(in: directory.historyPath) {
            try add("\(PKIDirectory.historyFolder)/\(file)", name: nil, status: .superseded, role: nil)
        }
        let cas = found.filter { $0.record.kind == .ca }
        return found.map { item in
            var record = item.record
            if record.kind != .ca || record.isSignedIntermediate {
                let issuers = cas.filter {
                    $0.info.subject == item.info.issuer
                        && (item.info.authorityKeyIdentifier == nil
                            || $0.info.subjectKeyIdentifier == item.info.authorityKeyIdentifier)
                }
                record.issuerFingerprint = issuers.first?.record.fingerprint
            }
            return record
        }
    }

    /// The `.crt` files in a folder, sorted.
    static func certificateFiles(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".crt") }.sorted()
    }

    /// The CN of an RFC 4514 subject that starts with one (`CN=Issuing CA 1,O=Acme`), unescaped
    /// only when it needs no unescaping.
    static func commonName(ofLast subject: String) -> String? {
        guard subject.hasPrefix("CN=") else { return nil }
        let value = subject.dropFirst(3).prefix { $0 != "," }
        return value.contains("\\") ? nil : String(value)
    }

    /// The value of a subject that is just `CN=value`.
    static func commonName(of subject: String) -> String? {
        guard subject.hasPrefix("CN="), !subject.contains(",") else { return nil }
        return String(subject.dropFirst(3))
    }
}
