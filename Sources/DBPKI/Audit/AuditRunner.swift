import Foundation

/// Reads every certificate of an audit: walks the inputs lazily, reads files in batches
/// on two workers, keeps one compact ``AuditedCertificate`` per distinct certificate
/// (by SHA-256 fingerprint, every location kept) and never holds more DER than one batch.
public struct AuditRunner: Sendable {
    /// The engine that hashes every certificate (and parses any the fast reader declines).
    public var backend: any PKIBackend
    /// The engine that speaks TLS for `--probe`; nil when no probe is asked for.
    public var prober: (any TLSProbing)?
    /// Parse every certificate with the engine instead of ``CertificateFieldReader`` (`--full-parse`).
    public var fullParse: Bool
    /// Files per batch.
    public var batchSize: Int
    /// Parallel workers per batch.
    public var workers: Int
    /// The verification profile whose own certificate rules (those not in ``VerificationProfile/rfc5280``)
    /// judge each certificate as it is read (`audit --profile webpki`); nil for none.
    public var profile: VerificationProfile?
    /// The password of the PKCS#12 files among the inputs; nil tries the empty password.
    public var pkcs12Password: String?

    /// Makes a runner.
    public init(
        backend: any PKIBackend, prober: (any TLSProbing)? = nil, fullParse: Bool = false, batchSize: Int = 256,
        workers: Int = 2
    ) {
        self.backend = backend
        self.prober = prober
        self.fullParse = fullParse
        self.batchSize = max(1, batchSize)
        self.workers = max(1, workers)
    }

    /// What the inputs held.
    public struct Collection: Sendable {
        /// Distinct certificates in the order first found.
        public var certificates: [AuditedCertificate] = []
        /// Inputs that could not be read, in the order met.
        public var unreadable: [UnreadableInput] = []
        /// Files that held at least one certificate.
        public var filesRead = 0
        /// Files inside walked folders that hold no certificate (keys, configs), ignored.
        public var filesSkipped = 0

        /// Makes a collection (tests and other front ends build reports from their own certificates).
        public init(certificates: [AuditedCertificate] = [], unreadable: [UnreadableInput] = []) {
            self.certificates = certificates
            self.unreadable = unreadable
        }
    }

    /// Reads every input and probes every endpoint. Never throws: whatever cannot be
    /// read is listed in ``Collection/unreadable``. `timeout` bounds each probe as a whole
    /// (resolving, connecting and the handshake; see ``ProbeDeadline``); up to
    /// ``BlockingWorkers/defaultWidth`` probes run at once, so the whole probing takes about
    /// the slowest wave, not the sum. `progress` gets the
    /// number of files done after each batch.
    public func collect(
        _ inputs: [AuditInput], probes: [ProbeTarget] = [], serverName: String? = nil, timeout: Double = 5,
        progress: ((Int) -> Void)? = nil
    ) -> Collection {
        var collection = Collection()
        var index = [[UInt8]: Int]()
        var walker = AuditInputWalker(inputs)
        var batch = [AuditInputWalker.File]()
        var done = 0
        func flush() {
            for result in process(batch) {
                merge(result, into: &collection, index: &index)
            }
            done += batch.count
            batch.removeAll(keepingCapacity: true)
            progress?(done)
        }
        while let item = walker.next() {
            switch item {
            case .unreadable(let problem): collection.unreadable.append(problem)
            case .file(let file):
                batch.append(file)
                if batch.count >= batchSize { flush() }
            }
        }
        if !batch.isEmpty { flush() }
        // Probes run at once (bounded), each under its own deadline; results merge in the order given.
        let runner = self
        let probed = BlockingWorkers.map(count: probes.count) { position in
            runner.probe(probes[position], serverName: serverName, timeout: timeout)
        }
        for result in probed { merge(result, into: &collection, index: &index) }
        return collection
    }

    /// One certificate read from a file or probe.
    struct Read {
        var location: String
        var fingerprint: [UInt8]
        var fields: CertificateFields
        var profileFindings: [String] = []
    }

    /// What one file or probe gave.
    struct FileResult {
        var read: [Read] = []
        var unreadable: [UnreadableInput] = []
        var skipped = false
    }

    private func merge(_ result: FileResult, into collection: inout Collection, index: inout [[UInt8]: Int]) {
        if result.skipped { collection.filesSkipped += 1 }
        if !result.read.isEmpty { collection.filesRead += 1 }
        collection.unreadable += result.unreadable
        for read in result.read {
            if let existing = index[read.fingerprint] {
                if !collection.certificates[existing].locations.contains(read.location) {
                    collection.certificates[existing].locations.append(read.location)
                }
            } else {
                index[read.fingerprint] = collection.certificates.count
                var record = AuditedCertificate(
                    fields: read.fields, fingerprint: read.fingerprint, locations: [read.location])
                record.profileFindings = read.profileFindings
                collection.certificates.append(record)
            }
        }
    }

    /// Reads a batch on ``workers`` threads; worker w takes files w, w + workers, ...
    private func process(_ files: [AuditInputWalker.File]) -> [FileResult] {
        let results = IndexedResults<FileResult>(count: files.count)
        let workerCount = min(workers, files.count)
        DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
            for position in stride(from: worker, to: files.count, by: workerCount) {
                results.set(position, read(files[position]))
            }
        }
        return results.values
    }

    private func read(_ file: AuditInputWalker.File) -> FileResult {
        var result = FileResult()
        switch AuditFileDecoder.decode(path: file.path, named: file.named) {
        case .skipped:
            result.skipped = true
        case .unreadable(let reason):
            result.unreadable.append(UnreadableInput(input: file.path, reason: reason))
        case .pkcs12(let location, let der):
            do {
                let contents = try PKCS12Contents(
                    der: der, password: pkcs12Password, includeKey: false, using: backend)
                if contents.certificates.isEmpty {
                    result.unreadable.append(
                        UnreadableInput(input: location, reason: "no certificate in the PKCS#12 file"))
                }
                for (number, bag) in contents.certificates.enumerated() {
                    do {
                        result.read.append(try certificate(bag.der, location: location))
                    } catch {
                        let message = (error as? PKIError)?.message ?? "\(error)"
                        result.unreadable.append(
                            UnreadableInput(input: location, reason: "certificate \(number + 1): \(message)"))
                    }
                }
            } catch {
                result.unreadable.append(
                    UnreadableInput(input: location, reason: (error as? PKIError)?.message ?? "\(error)"))
            }
        case .derCandidate(let location, let der, let report):
            do {
                result.read.append(try certificate(der, location: location))
            } catch let error as PKIError {
                if report {
                    result.unreadable.append(UnreadableInput(input: location, reason: error.message))
                } else {
                    result.skipped = true
                }
            } catch {
                result.unreadable.append(UnreadableInput(input: location, reason: "\(error)"))
            }
        case .certificates(let found):
            for (number, item) in found.enumerated() {
                do {
                    result.read.append(try certificate(item.der, location: item.location))
                } catch {
                    let which = found.count > 1 ? "certificate \(number + 1): " : ""
                    let message = (error as? PKIError)?.message ?? "\(error)"
                    result.unreadable.append(UnreadableInput(input: item.location, reason: which + message))
                }
            }
        }
        return result
    }

    /// One certificate's fields: from ``CertificateFieldReader``, or from the engine with
    /// ``fullParse`` or when the fast reader declines the encoding.
    public func fields(of der: [UInt8]) throws -> CertificateFields {
        if !fullParse, let fast = try? CertificateFieldReader.read(der: der) { return fast }
        return try backend.parseCertificate(der: der).fields
    }

    func certificate(_ der: [UInt8], location: String) throws -> Read {
        var fields = try fields(of: der)
        let fingerprint = try backend.digest(.sha256, der)
        let findings =
            profile.map {
                ProfileAudit(profile: $0).findings(
                    CertificateInfo(der: der, fingerprintSHA256: fingerprint, fields: fields))
            } ?? []
        // No rule or format reads the extension list; dropping it keeps 100k records small.
        fields.extensions = []
        return Read(location: location, fingerprint: fingerprint, fields: fields, profileFindings: findings)
    }

    func probe(_ target: ProbeTarget, serverName: String?, timeout: Double) -> FileResult {
        var result = FileResult()
        guard let prober else {
            result.unreadable.append(UnreadableInput(input: target.location, reason: "this engine cannot probe"))
            return result
        }
        do {
            // One deadline for the whole probe: resolving, connecting and every read and write of the handshake.
            let deadline = ProbeDeadline(secondsFromNow: timeout)
            let connection = try TCPConnection.open(host: target.host, port: target.port, deadline: deadline)
            let chain = try prober.presentedChain(
                over: connection, serverName: serverName ?? target.defaultServerName)
            guard !chain.isEmpty else { throw PKIError(.invalidInput, "the server presented no certificate") }
            for der in chain { result.read.append(try certificate(der, location: target.location)) }
        } catch {
            result.read.removeAll()
            let message = (error as? PKIError)?.message ?? "\(error)"
            result.unreadable.append(UnreadableInput(input: target.location, reason: message))
        }
        return result
    }
}
