import Foundation

/// Checks a client download (a `-crt.zip`, a PEM file such as `MongoDB-CA.crt`, or a PKCS#12
/// truststore such as `truststore.p12`)
/// before it is uploaded or shipped, and names every problem it finds.
///
/// Fit to ship means: readable; only PEM; every certificate a CA valid at the given
/// time, except a client certificate that travels with its own key (its file may carry
/// the intermediates after it, which then count as its chain, not as trusted CAs); a
/// root among the trusted CAs (a download of intermediates alone fails most clients); no
/// other private key (never a server's or a CA's); for a zip, only plain entries at its root within
/// ``ZipReader``'s limits; and, when a server certificate is given, that certificate
/// valid for the peer name against the bundle's CAs on every engine asked.
public struct BundleVerifier: Sendable {
    /// The outcome: the CA certificates found and every problem, one line each.
    public struct Report: Sendable {
        /// The CA certificates in the bundle.
        public var caCertificates: [CertificateInfo] = []
        /// Client certificates shipped with their keys, by entry name.
        public var clientCertificates: [String] = []
        /// One line per problem; empty when the bundle is fit to ship.
        public var problems: [String] = []
        /// True when there is nothing wrong.
        public var isFitToShip: Bool { problems.isEmpty }
    }

    /// The engines that parse and verify (the first one parses).
    public let engines: [any PKIBackend]
    /// The time certificates must be valid at.
    public var time: Date
    /// The password of a PKCS#12 truststore; nil tries the empty password.
    public var pkcs12Password: String?

    /// A checker that parses with the first of `engines`, verifies on each, and judges
    /// validity at `time`.
    public init(engines: [any PKIBackend], time: Date) {
        precondition(!engines.isEmpty, "at least one engine is needed")
        self.engines = engines
        self.time = time
    }

    /// Checks the bundle at `path`; with `serverCertificate`, also that certificate for `peer`,
    /// with `serverIntermediates` as untrusted intermediates (a server file often carries its chain).
    public func check(
        path: String, serverCertificate: [UInt8]? = nil, serverIntermediates: [[UInt8]] = [],
        peer: VerificationPolicy.PeerIdentity? = nil
    ) throws -> Report {
        let bytes = try InputFile.read(path)
        var report = Report()
        var files = [(name: String, contents: [UInt8])]()
        if ZipReader.looksLikeZip(bytes) {
            do {
                let contents = try ZipReader.read(bytes)
                report.problems += contents.problems.map { "zip: \($0)" }
                files = contents.files.map { ($0.name, $0.contents) }
            } catch let error as PKIError {
                report.problems.append("zip: \(error.message)")
            }
        } else if PKCS12Outline.looksLikePKCS12(bytes) || PKCS12Outline.hasPKCS12Name(path) {
            checkTruststore(bytes, name: URL(fileURLWithPath: path).lastPathComponent, &report)
        } else {
            files = [(URL(fileURLWithPath: path).lastPathComponent, bytes)]
        }
        var keys = [(name: String, der: [UInt8], format: PrivateKeyFormat)]()
        var leaves = [(name: String, der: [UInt8], info: CertificateInfo)]()
        var chains = [String: [[UInt8]]]()
        for file in files {
            guard PEM.looksLikePEM(file.contents), let (blocks, outside) = try? PEM.decodeWithStrayText(file.contents),
                !blocks.isEmpty
            else {
                report.problems.append("\(file.name): not PEM")
                continue
            }
            report.problems += outside.map { "\(file.name): \(Self.describe($0))" }
            var leafFirst = false
            for (position, block) in blocks.enumerated() {
                switch (block.label, PrivateKeyFormat(pemLabel: block.label)) {
                case ("CERTIFICATE", _):
                    guard let info = try? engines[0].parseCertificate(der: block.der) else {
                        report.problems.append("\(file.name): a certificate that cannot be parsed")
                        continue
                    }
                    if position == 0 { leafFirst = !info.isCA }
                    if info.isCA && leafFirst {
                        // A leaf file's chain (NAME.crt = leaf, intermediates): sent by the peer, not trusted.
                        chains[file.name, default: []].append(block.der)
                    } else if info.isCA {
                        report.caCertificates.append(info)
                    } else {
                        leaves.append((file.name, block.der, info))
                    }
                    if let problem = ValidityRule.problem(with: info, at: time) {
                        report.problems.append("\(file.name): \(problem.message)")
                    }
                case (_, let format?):
                    keys.append((file.name, block.der, format))
                default:
                    report.problems.append("\(file.name): a \(block.label) block, where only certificates belong")
                }
            }
        }
        if report.caCertificates.isEmpty {
            report.problems.append("no CA certificate: clients would trust nothing")
        } else if !report.caCertificates.contains(where: \.isSelfIssued) {
            report.problems.append(
                "no root CA certificate: clients that trust only intermediates fail with most TLS libraries")
        }
        pairClientKeys(keys, leaves, &report)
        for leaf in leaves where report.clientCertificates.contains(leaf.name) && !report.caCertificates.isEmpty {
            report.problems += try chainProblems(
                leaf.der, chains[leaf.name] ?? [], purpose: .client, peer: nil, report
            ).map {
                "\(leaf.name): \($0)"
            }
        }
        if let serverCertificate, !report.caCertificates.isEmpty {
            report.problems += try chainProblems(
                serverCertificate, serverIntermediates, purpose: .server, peer: peer, report
            ).map {
                "server certificate: \($0)"
            }
        }
        return report
    }

    /// A PKCS#12 truststore (such as `bundle --java`'s truststore.p12) is judged as a PEM CA
    /// bundle is: it must open, hold no private key, and hold only CA certificates valid at ``time``.
    /// Read by an engine that reads bag attributes when one is asked, each certificate must also
    /// carry Java's trust attribute: without it Java's `KeyStore` skips the certificate, and a
    /// truststore made by `openssl pkcs12 -export -nokeys` is empty to Java.
    private func checkTruststore(_ bytes: [UInt8], name: String, _ report: inout Report) {
        let reader = engines.first { $0.capabilities.contains(.pkcs12TrustAttributes) }
        let contents: PKCS12Contents
        do {
            contents = try PKCS12Contents(
                der: bytes, password: pkcs12Password, includeKey: true, using: reader ?? engines[0])
        } catch let error as PKIError {
            report.problems.append("\(name): \(error.message)")
            return
        } catch {
            report.problems.append("\(name): \(error)")
            return
        }
        if contents.key != nil { report.problems.append("\(name): a private key in a truststore") }
        for bag in contents.certificates {
            guard let info = try? engines[0].parseCertificate(der: bag.der) else {
                report.problems.append("\(name): a certificate that cannot be parsed")
                continue
            }
            if info.isCA {
                report.caCertificates.append(info)
            } else {
                report.problems.append("\(name): \(info.subject) is not a CA certificate")
            }
            if reader != nil && !bag.trustedForJava {
                report.problems.append(
                    "\(name): \(info.subject) lacks Java's trust attribute (\(PKCS12Encoding.javaTrustedKeyUsageOID)), "
                        + "so Java's KeyStore does not load it")
            }
            if let problem = ValidityRule.problem(with: info, at: time) {
                report.problems.append("\(name): \(problem.message)")
            }
        }
    }

    /// Text outside the PEM blocks makes a download unfit whatever it is (a comment today, a
    /// key with damaged armour tomorrow); a run of base64 lines that decodes to a private
    /// key's outline is named as a key, since that is the leak to fix first.
    static func describe(_ stray: PEM.StrayText) -> String {
        var runs = [[UInt8]]()
        var current = [UInt8]()
        for line in stray.lines {
            // A commented-out key (`# MIIE...`, `// MIIE...`) is still a key. `/` is also a base64
            // digit, so only a `//` pair counts as a comment mark: a body line may start with `/`.
            var body = line.drop(while: { Self.commentMarks.contains($0) })
            if body.starts(with: [0x2f, 0x2f]) {
                body = body.dropFirst(2).drop(while: { Self.commentMarks.contains($0) })
            }
            if !body.isEmpty, body.allSatisfy(isBase64) {
                current += body
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        for run in runs {
            if let der = Data(base64Encoded: Data(run)), let format = PrivateKeyFormat(outlineOf: [UInt8](der)) {
                return "line \(stray.firstLine): a private key (\(format.pemLabel)) outside PEM armour"
            }
        }
        return "line \(stray.firstLine): text outside the certificate blocks, where only certificates belong"
    }

    private static let commentMarks = Set("#;! \t".utf8)

    private static func isBase64(_ byte: UInt8) -> Bool {
        (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2b
            || byte == 0x2f || byte == 0x3d
    }

    /// A key may ship only as NAME.key beside NAME.crt, a client certificate whose public key it is.
    /// Every other key (a server's, a CA's, a stray one) is a problem, and so is a leaf without its key.
    private func pairClientKeys(
        _ keys: [(name: String, der: [UInt8], format: PrivateKeyFormat)],
        _ leaves: [(name: String, der: [UInt8], info: CertificateInfo)], _ report: inout Report
    ) {
        let engine = engines[0]
        func matches(_ key: PrivateKey, _ der: [UInt8]) -> Bool {
            (try? engine.privateKey(key, matchesCertificate: der)) == true
        }
        var paired = Set<String>()
        for key in keys {
            guard let imported = try? PrivateKey(der: key.der, format: key.format, passphrase: nil, using: engine)
            else {
                report.problems.append("\(key.name): a private key (encrypted or unreadable) in a download")
                continue
            }
            if let ca = report.caCertificates.first(where: { matches(imported, $0.der) }) {
                report.problems.append("\(key.name): the private key of the CA \(ca.subject)")
                continue
            }
            guard let owner = leaves.first(where: { matches(imported, $0.der) }) else {
                report.problems.append("\(key.name): a private key without its certificate")
                continue
            }
            let eku = owner.info.extendedKeyUsage
            if eku?.contains(ExtendedKeyUsage.serverAuth) == true || eku?.contains(ExtendedKeyUsage.clientAuth) != true
            {
                report.problems.append("\(key.name): the private key of the server certificate \(owner.info.subject)")
                continue
            }
            let stem = key.name.hasSuffix(".key") ? String(key.name.dropLast(4)) : nil
            guard let stem, owner.name == stem + ".crt" else {
                report.problems.append("\(key.name): a client key must ship as NAME.key beside its NAME.crt")
                continue
            }
            paired.insert(owner.name)
            report.clientCertificates.append(owner.name)
        }
        for leaf in leaves where !paired.contains(leaf.name) {
            report.problems.append("\(leaf.name): \(leaf.info.subject) is not a CA certificate")
        }
    }

    /// Why a certificate does not validate against the bundle's CAs, per engine, plus any disagreement.
    private func chainProblems(
        _ der: [UInt8], _ intermediates: [[UInt8]], purpose: VerificationPolicy.Purpose,
        peer: VerificationPolicy.PeerIdentity?, _ report: Report
    ) throws -> [String] {
        let request = VerificationRequest(
            leaf: der, intermediates: intermediates, trustAnchors: report.caCertificates.map(\.der),
            policy: VerificationPolicy(time: time, purpose: purpose, peer: peer))
        let outcome = try ChainVerifier(engines: engines).verify(request)
        return outcome.results.flatMap { result in result.failures.map { "invalid (\(result.engine)): \($0)" } }
            + outcome.disagreementReport.map { "engines disagree: \($0)" }
    }
}
