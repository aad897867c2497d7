import Foundation

/// The files of one inventory record, read and checked against it: the certificate file
/// must hold the recorded certificate (the same SHA-256 fingerprint) and, when the key is
/// asked for, the key file must be there and hold that certificate's key (the engine
/// compares the public keys).
///
/// This one check is behind `dbpki doctor`'s findings for every record and behind every
/// command that uses a PKI's files (`issue`, `renew`, `ca rollover`, `crl`, `bundle`):
/// a command refuses (``PKIStore/checked(_:key:)``) on exactly what doctor reports, so a
/// foreign `ca.crt`, a foreign `issued/NAME.crt` or a key that belongs to another
/// certificate is never used, shipped or signed with.
public struct RecordedFiles: Sendable {
    /// The record the files were checked against.
    public let record: InventoryRecord
    /// The certificate file's certificates, the recorded one first (empty when the file
    /// is missing or is not the recorded certificate).
    public private(set) var certificates: [[UInt8]] = []
    /// The key, when it was asked for and matches the certificate.
    public private(set) var key: PrivateKey?
    /// Everything wrong with the files, as doctor reports it.
    public var findings: [DoctorFinding] { problems.map(\.finding) }
    /// What could not be checked and is not wrong: an encrypted key, without its password.
    public private(set) var notes: [DoctorFinding] = []
    /// Why an encrypted key could not be opened (no password, or a wrong one): a command
    /// stops with it as it is, since the doctor cannot put it right.
    private(set) var keyError: PKIError?

    /// One finding, with the error code of a command that refuses on it (nil: reported
    /// by doctor, but the file is still usable, as a key readable by others is).
    struct Problem: Sendable {
        var finding: DoctorFinding
        var code: PKIError.Code?
    }

    private(set) var problems: [Problem] = []

    /// Reads and checks `record`'s files in `directory` (the key too when `checkKey`).
    init(
        _ record: InventoryRecord, directory: PKIDirectory, backend: any PKIBackend, keyStore: KeyStore, checkKey: Bool
    ) {
        self.record = record
        let label = "\(record.kind.rawValue) '\(record.name)' serial \(record.serial)"
        let certificatePath = record.certificatePath
        do {
            let bytes = try InputFile.contents(of: directory.absolute(certificatePath))
            if let chain = try? CertificateDecoder.certificates(from: bytes), let first = chain.first,
                let digest = try? Hex.encode(backend.digest(.sha256, first))
            {
                if digest == record.fingerprint {
                    certificates = chain
                } else {
                    problem(
                        certificatePath,
                        "is not the recorded \(label) (fingerprint \(digest), recorded \(record.fingerprint))")
                }
            } else {
                problem(certificatePath, "is not a certificate (\(label))")
            }
        } catch let error as PKIError where error.code == .notFound {
            problem(certificatePath, "missing (recorded for \(label))", code: .notFound)
        } catch let error as PKIError {
            // A FIFO or a folder planted there is bad data; a read that fails is an I/O error.
            problem(certificatePath, "\(error.message) (\(label))", code: error.code)
        } catch {
            problem(certificatePath, "cannot be read (\(label))", code: .io)
        }
        guard checkKey, !record.keyHeldElsewhere, let keyPath = record.keyPath else { return }
        let path = directory.absolute(keyPath)
        guard FileManager.default.fileExists(atPath: path) else {
            problem(keyPath, "missing (the key of \(label))", code: .notFound)
            return
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?
            .intValue, mode & 0o077 != 0
        {
            problem(keyPath, "is readable by others (mode \(String(mode, radix: 8)), expected 600)", code: nil)
        }
        guard let certificate = certificates.first else { return }
        do {
            let loaded = try keyStore.loadKey(at: path, role: record.kind == .ca ? .ca : .leaf, using: backend)
            if try backend.privateKey(loaded, matchesCertificate: certificate) {
                key = loaded
            } else {
                problem(keyPath, "does not match its certificate (\(label))")
            }
        } catch let error as PKIError where error.code == .passwordNeeded {
            notes.append(DoctorFinding(path: keyPath, problem: "encrypted, not checked without the password"))
            keyError = error
        } catch let error as PKIError where error.code == .badPassphrase {
            problem(keyPath, "is encrypted and the password given does not open it", code: nil)
            keyError = error
        } catch let error as PKIError {
            // An unsupported key format (legacy PEM encryption) stays unsupported, not bad data.
            problem(keyPath, "cannot be read as a key (\(error.message))", code: error.code)
        } catch {
            problem(keyPath, "cannot be read as a key")
        }
    }

    private mutating func problem(_ path: String, _ text: String, code: PKIError.Code? = .invalidInput) {
        problems.append(Problem(finding: DoctorFinding(path: path, problem: text), code: code))
    }

    /// The first problem that makes the files unusable, as the error a command stops with.
    func refusal(in directory: PKIDirectory) -> PKIError? {
        let blocking = problems.filter { $0.code != nil }
        guard let first = blocking.first, let code = first.code else { return keyError }
        let more = blocking.count > 1 ? " (and \(blocking.count - 1) more problem\(blocking.count > 2 ? "s" : ""))" : ""
        let path = first.finding.path.map(directory.absolute) ?? directory.path
        return PKIError(
            code, "\(path): \(first.finding.problem)\(more)", remedy: Remedy(.runDoctor, directory: directory.path))
    }
}

extension PKIStore {
    /// `record`'s files checked against it (see ``RecordedFiles``), the key too when `key`;
    /// throws the first problem that makes them unusable.
    public func checked(_ record: InventoryRecord, key: Bool) throws -> RecordedFiles {
        if key && record.keyHeldElsewhere {
            throw PKIError(
                .notFound,
                "\(record.kind.rawValue) '\(record.name)' was signed from a certificate request: its private key is "
                    + "held on its own host, not in \(directory.path)")
        }
        if key && record.keyPath == nil {
            throw PKIError(
                .notFound,
                "\(directory.absolute(record.certificatePath)): no key is recorded for \(record.kind.rawValue) "
                    + "'\(record.name)'", remedy: Remedy(.runDoctor, directory: directory.path))
        }
        let files = RecordedFiles(record, directory: directory, backend: backend, keyStore: keyStore, checkKey: key)
        if let refusal = files.refusal(in: directory) { throw refusal }
        return files
    }

    /// NAME's certificate at `issued/NAME.crt` (and with `key` its key), checked against
    /// the inventory's record for NAME.
    public func checkedIssued(_ name: String, key: Bool) throws -> RecordedFiles {
        try PKIDirectory.validate(name: name)
        guard let record = try inventory.current(name: name) else {
            throw PKIError(
                .notFound, "no certificate named '\(name)' in \(directory.path)",
                remedy: Remedy(.issueFirst, directory: directory.path, name: name))
        }
        return try checked(record, key: key)
    }

    /// The CA with `role` (`ca.crt` and `ca.key`, or `ca-old.*`), checked against the inventory.
    public func checkedAuthority(_ role: InventoryRecord.CARole) throws -> SigningAuthority {
        guard let record = try inventory.ca(role) else {
            throw role == .old
                ? PKIError(.notFound, "no rollover in progress: \(directory.path) has no old CA")
                : try noCurrentCA()
        }
        let files = try checked(record, key: true)
        guard let key = files.key else { throw PKIError(.notFound, "the \(role.rawValue) CA has no key") }
        return try SigningAuthority(certificate: files.certificates[0], key: key, backend: backend)
    }

    /// The error for a PKI without a current CA: one waiting for its CA certificate (`ca.key`
    /// and a request made, nothing signed yet) issues nothing until it is imported; otherwise
    /// the files and the inventory disagree.
    func noCurrentCA() throws -> PKIError {
        if let request = try inventory.pendingCARequest() {
            return PKIError(
                .notFound,
                "\(directory.path) is waiting for its CA certificate (its request is \(directory.absolute(request))): "
                    + "it issues nothing until that certificate is imported",
                remedy: Remedy(.importCACertificate, directory: directory.path))
        }
        return PKIError(
            .notFound, "\(directory.path) has no recorded CA", remedy: Remedy(.runDoctor, directory: directory.path))
    }

    /// The CA certificates clients must trust: the current CA, then, during a rollover, the
    /// old one (the merged bundle), each checked against the inventory. In a PKI whose CA is
    /// an intermediate, the root(s) above it come first, then the current CA, the
    /// intermediates above it and the old CA: a client trusting the file trusts the roots, and
    /// a server verifies a client certificate whatever chain the client sends.
    public func checkedTrustedCAs() throws -> [[UInt8]] {
        let own = try checkedOwnCAs()
        let above = try chainAbove() + chainAbove(old: true)
        guard !above.isEmpty else { return own }
        let parsed = try above.map { ($0, try backend.parseCertificate(der: $0).isSelfIssued) }
        var certificates = [[UInt8]]()
        let ordered = parsed.filter(\.1).map(\.0) + [own[0]] + parsed.filter({ !$0.1 }).map(\.0) + own.dropFirst()
        for der in ordered where !certificates.contains(der) {
            certificates.append(der)
        }
        return certificates
    }

    /// This PKI's own CAs: the current one, then the old one during a rollover.
    private func checkedOwnCAs() throws -> [[UInt8]] {
        guard let current = try inventory.ca(.current) else { throw try noCurrentCA() }
        var certificates = [try checked(current, key: false).certificates[0]]
        if let old = try inventory.ca(.old) {
            certificates.append(try checked(old, key: false).certificates[0])
        } else if SymbolicLink.exists(directory.oldCACertificatePath) {
            throw PKIError(
                .invalidInput,
                "\(directory.oldCACertificatePath): not recorded in the inventory (no rollover is in progress)",
                remedy: Remedy(.runDoctor, directory: directory.path))
        }
        return certificates
    }
}
