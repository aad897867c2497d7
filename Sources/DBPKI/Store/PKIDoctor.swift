import Foundation

/// One inconsistency `dbpki doctor` found between the files of a PKI directory and its inventory.
public struct DoctorFinding: Hashable, Sendable, CustomStringConvertible {
    /// The file concerned (relative to the PKI directory), when there is one.
    public var path: String?
    /// What is wrong, in words.
    public var problem: String

    public var description: String { path.map { "\($0): \(problem)" } ?? problem }
}

extension PKIStore {
    /// Checks the files against the inventory: every recorded certificate file is there
    /// and is the recorded certificate (same SHA-256 fingerprint); every recorded key is
    /// there, 0600, and matches its certificate; every certificate and key file under
    /// the directory is recorded; there is exactly one current CA, `ca-old.*` exists exactly
    /// when an old CA is recorded; every leaf's issuer is a recorded CA; no operation is
    /// left half done and nothing is left in `.staging/`; no folder dbpki writes through is
    /// a symbolic link. Empty means consistent. The per-record checks are
    /// ``RecordedFiles``, the ones every command refuses on.
    public func doctor() throws -> [DoctorFinding] {
        try doctorReport().findings
    }

    /// ``doctor()``'s findings, and its notes: what it could not check and is not wrong (an
    /// encrypted key, checked only when the password is given).
    public func doctorReport() throws -> (findings: [DoctorFinding], notes: [DoctorFinding]) {
        var notes = [DoctorFinding]()
        var findings = plantedLinks.map {
            DoctorFinding(
                path: String($0.path.dropFirst(directory.path.count + 1)),
                problem: "is a symbolic link (to \($0.target)); dbpki refuses to write through it: replace it with a "
                    + "real folder")
        }
        findings += recoveryProblems.map { DoctorFinding(path: nil, problem: $0) }
        let records = try inventory.all()
        var expected = Set<String>()
        let fingerprints = Set(records.filter { $0.kind == .ca }.map(\.fingerprint))

        for record in records {
            let label = "\(record.kind.rawValue) '\(record.name)' serial \(record.serial)"
            expected.insert(record.certificatePath)
            if let keyPath = record.keyPath { expected.insert(keyPath) }
            let files = RecordedFiles(
                record, directory: directory, backend: backend, keyStore: keyStore, checkKey: true)
            findings += files.findings
            notes += files.notes
            if record.keyPath == nil && record.status == .active && !record.keyHeldElsewhere
                && !record.isSignedIntermediate
            {
                findings.append(DoctorFinding(path: nil, problem: "\(label) is active but has no key recorded"))
            }
            if record.kind != .ca, record.status != .superseded {
                if record.issuerFingerprint.map({ !fingerprints.contains($0) }) ?? true {
                    findings.append(
                        DoctorFinding(path: record.certificatePath, problem: "\(label) has no recorded issuing CA"))
                }
            }
        }

        let current = records.filter { $0.caRole == .current }
        let pendingRequest = try inventory.pendingCARequest()
        if let pendingRequest, current.isEmpty {
            // Waiting for its CA certificate: its key and request are all it has, and that is consistent.
            expected.formUnion(["ca.key", pendingRequest])
        } else if current.count != 1 {
            findings.append(DoctorFinding(path: nil, problem: "\(current.count) current CAs recorded (expected 1)"))
        } else if current[0].certificatePath != "ca.crt" {
            findings.append(
                DoctorFinding(path: current[0].certificatePath, problem: "the current CA is recorded away from ca.crt"))
        }
        if current.first?.profile == CertificateProfile.Role.intermediateCA.rawValue {
            do {
                if try chainAbove().isEmpty {
                    findings.append(
                        DoctorFinding(
                            path: PKIDirectory.chainAboveFile,
                            problem: "missing: the CA is an intermediate and needs the certificates above it"))
                }
            } catch let error as PKIError {
                findings.append(DoctorFinding(path: PKIDirectory.chainAboveFile, problem: error.message))
            }
        }
        let old = records.filter { $0.caRole == .old }
        if old.count > 1 { findings.append(DoctorFinding(path: nil, problem: "\(old.count) old CAs recorded")) }

        for file in presentFiles() where !expected.contains(file) {
            findings.append(DoctorFinding(path: file, problem: "not recorded in the inventory"))
        }
        let staged =
            SymbolicLink.at(directory.stagingPath) != nil
            ? [] : (try? FileManager.default.contentsOfDirectory(atPath: directory.stagingPath)) ?? []
        for file in staged {
            findings.append(
                DoctorFinding(
                    path: "\(PKIDirectory.stagingFolder)/\(file)", problem: "left over from an interrupted operation"))
        }
        return (findings, notes)
    }

    /// The certificate and key files dbpki keeps track of, relative to the directory.
    private func presentFiles() -> [String] {
        var files = ["ca.crt", "ca.key", "ca-old.crt", "ca-old.key"].filter {
            FileManager.default.fileExists(atPath: directory.absolute($0))
        }
        for folder in ["issued", PKIDirectory.historyFolder, PKIDirectory.intermediatesFolder] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.absolute(folder))) ?? []
            // Only what dbpki writes there (other files, a README say, are the user's own).
            let kept = names.filter { $0.hasSuffix(".crt") || $0.hasSuffix(".key") || $0.contains(".tmp-") }
            files += kept.sorted().filter { !$0.hasPrefix(".") || $0.contains(".tmp-") }.map { "\(folder)/\($0)" }
        }
        return files
    }
}
