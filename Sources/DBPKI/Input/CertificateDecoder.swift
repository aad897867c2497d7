/// Turns file contents into DER certificates, CRLs and keys, so engines only ever see DER.
public enum CertificateDecoder {
    /// What to do with OpenSSL's `TRUSTED CERTIFICATE` blocks: a certificate followed by
    /// trust settings (such as "reject serverAuth") that neither GnuTLS nor dbpki's policy
    /// applies.
    public enum TrustedCertificates: Sendable {
        /// Refuse them: a verification that dropped the settings could accept what the file
        /// says to reject.
        case refused
        /// Read the certificate and leave the settings: a report (inspect, audit) of what
        /// the file holds, which decides nothing about trust.
        case certificateOnly
    }

    /// The certificates in PEM (every `CERTIFICATE` block, other blocks skipped)
    /// or DER (exactly one certificate). Throws when there are none.
    public static func certificates(from bytes: [UInt8], trusted: TrustedCertificates) throws -> [[UInt8]] {
        switch trusted {
        case .refused:
            try objects(
                from: bytes, labels: certificateLabels, kind: "certificate",
                refused: [
                    "TRUSTED CERTIFICATE":
                        "OpenSSL trust settings are not supported: write the plain certificate with 'openssl x509 -in FILE'"
                ])
        case .certificateOnly:
            try objects(from: bytes, labels: certificateLabels.union(["TRUSTED CERTIFICATE"]), kind: "certificate")
                .map(leadingElement)
        }
    }

    /// ``certificates(from:trusted:)`` refusing `TRUSTED CERTIFICATE`, as anything that
    /// decides trust must.
    public static func certificates(from bytes: [UInt8]) throws -> [[UInt8]] {
        try certificates(from: bytes, trusted: .refused)
    }

    /// The labels of plain certificate blocks.
    static let certificateLabels: Set<String> = ["CERTIFICATE", "X509 CERTIFICATE"]

    /// The first DER element: a `TRUSTED CERTIFICATE` body is the certificate, then its trust settings.
    static func leadingElement(_ der: [UInt8]) -> [UInt8] {
        var reader = DERReader(der[...])
        guard let first = try? reader.read() else { return der }
        return Array(first.encoded)
    }

    /// The CRLs in PEM (`X509 CRL` blocks) or DER (exactly one).
    public static func crls(from bytes: [UInt8]) throws -> [[UInt8]] {
        try objects(from: bytes, labels: ["X509 CRL"], kind: "CRL")
    }

    /// The one PKCS#10 request in PEM (a `CERTIFICATE REQUEST` block, or the older
    /// `NEW CERTIFICATE REQUEST` label some tools still write) or DER. More than one request
    /// in a file is refused: which one was meant is not for dbpki to guess.
    public static func signingRequest(from bytes: [UInt8]) throws -> [UInt8] {
        let requests = try objects(
            from: bytes, labels: ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"], kind: "certificate request")
        guard requests.count == 1 else {
            throw PKIError(.invalidInput, "\(requests.count) certificate requests in one file: expected one")
        }
        return requests[0]
    }

    /// The first private key in PEM, or a DER PKCS#8 key, with its format.
    public static func privateKey(from bytes: [UInt8]) throws -> (format: PrivateKeyFormat, der: [UInt8]) {
        if bytes.isEmpty { throw PKIError(.invalidInput, "empty input: expected a private key") }
        if PEM.looksLikePEM(bytes) {
            for block in try PEM.decode(bytes) {
                if let format = PrivateKeyFormat(pemLabel: block.label) { return (format, block.der) }
            }
            throw PKIError(.invalidInput, "no private key in PEM input")
        }
        guard DERReader.isSingleSequence(bytes) else {
            throw PKIError(.invalidInput, "not PEM or DER: expected a private key")
        }
        return (.pkcs8, bytes)
    }

    /// The DER of every block labelled `labels`; a block labelled as a key of `refused` is an error with that reason.
    private static func objects(
        from bytes: [UInt8], labels: Set<String>, kind: String, refused: [String: String] = [:]
    ) throws -> [[UInt8]] {
        if bytes.isEmpty { throw PKIError(.invalidInput, "empty input: expected a \(kind)") }
        if PEM.looksLikePEM(bytes) {
            let blocks = try PEM.decode(bytes)
            if let block = blocks.first(where: { refused[$0.label] != nil }) {
                throw PKIError(.unsupported, "PEM block \(block.label): \(refused[block.label]!)")
            }
            let found = blocks.filter { labels.contains($0.label) }.map(\.der)
            if found.isEmpty {
                throw PKIError(.invalidInput, "no \(kind) in PEM input" + Self.foundLabels(blocks.map(\.label)))
            }
            return found
        }
        guard DERReader.isSingleSequence(bytes) else {
            throw PKIError(.invalidInput, "not PEM or DER: expected a \(kind)")
        }
        return [bytes]
    }

    /// ` (found: CERTIFICATE (28387 blocks), PRIVATE KEY)`: each label once, escaped, with its
    /// count when it repeats, so a large file gives one short line.
    static func foundLabels(_ labels: [String]) -> String {
        guard !labels.isEmpty else { return "" }
        var counts = [String: Int]()
        var order = [String]()
        for label in labels {
            if counts[label] == nil { order.append(label) }
            counts[label, default: 0] += 1
        }
        let parts = order.prefix(5).map { label in
            let count = counts[label]!
            return TextEscaping.printable(label, limit: 40) + (count == 1 ? "" : " (\(count) blocks)")
        }
        return " (found: " + parts.joined(separator: ", ") + (order.count > 5 ? ", …" : "") + ")"
    }
}
