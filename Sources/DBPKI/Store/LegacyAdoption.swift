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
        func add(_ relative: String, name: String?, status: InventoryRecord.Status, role: InventoryRecord.CARole?)
            throws
        {
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
            let record = InventoryRecord(
                certificate: info, name: kind == .ca ? (commonName ?? leafName) : leafName, kind: kind,
                profile: kind == .ca ? CertificateProfile.Role.rootCA.rawValue : kind.rawValue,
                issuerFingerprint: info.isSelfIssued ? info.fingerprintHex : nil,
                status: kind == .ca && role == nil ? .superseded : status,
                caRole: kind == .ca ? (role ?? .retired) : nil, certificatePath: relative,
                keyPath: hasKey ? keyRelative : nil, recordedAt: date)
            found.append(Found(info: info, record: record))
        }
        try add("ca.crt", name: nil, status: .active, role: .current)
        try add("ca-old.crt", name: nil, status: .active, role: .old)
        for file in Self.certificateFiles(in: directory.issuedPath) {
            try add("issued/\(file)", name: String(file.dropLast(4)), status: .active, role: nil)
        }
        for file in Self.certificateFiles(in: directory.historyPath) {
            try add("\(PKIDirectory.historyFolder)/\(file)", name: nil, status: .superseded, role: nil)
        }
        let cas = found.filter { $0.record.kind == .ca }
        return found.map { item in
            var record = item.record
            if record.kind != .ca {
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

    /// The value of a subject that is just `CN=value`.
    static func commonName(of subject: String) -> String? {
        guard subject.hasPrefix("CN="), !subject.contains(",") else { return nil }
        return String(subject.dropFirst(3))
    }
}
