/// Every certificate in a file dbpki is asked to report on (`inspect`, `audit`): PEM (any
/// number; keys and other blocks skipped; `TRUSTED CERTIFICATE` read without its trust
/// settings), DER, or a client zip (the certificates inside its entries).
public enum CertificateFile {
    /// One certificate and where it was found (`path`, or `path!entry` inside a zip).
    public struct Found: Sendable {
        public var location: String
        public var der: [UInt8]

        /// The certificate parsed by `backend`; an error names the location.
        public func parsed(by backend: any PKIBackend) throws -> CertificateInfo {
            try PKIError.locating(location) { try backend.parseCertificate(der: der) }
        }
    }

    /// Reads `path`; throws when it is unreadable, a zip with any problem, or holds no
    /// certificate at all.
    public static func certificates(at path: String) throws -> [Found] {
        let bytes = try InputFile.read(path)
        if ZipReader.looksLikeZip(bytes) {
            let zip = try PKIError.locating(path) { try inZip(bytes, at: path) }
            if let problem = zip.problems.first { throw PKIError(.invalidInput, "\(path): \(problem)") }
            guard !zip.found.isEmpty else { throw PKIError(.invalidInput, "\(path): no certificate in the zip") }
            return zip.found
        }
        return try InputFile.decode(path) { try CertificateDecoder.certificates(from: $0, trusted: .certificateOnly) }
            .map { Found(location: path, der: $0) }
    }

    /// Reads `path` as ``certificates(at:)`` does, and also a PKCS#12 file (or one named `.p12`
    /// or `.pfx`): its certificates, from clear and encrypted bags, read by `engine` with
    /// `pkcs12Password` (nil tries the empty password). One that cannot be opened throws.
    public static func certificates(at path: String, pkcs12Password: String?, using engine: any PKIBackend) throws
        -> [Found]
    {
        let bytes = try InputFile.read(path)
        guard PKCS12Outline.looksLikePKCS12(bytes) || PKCS12Outline.hasPKCS12Name(path) else {
            return try certificates(at: path)
        }
        let contents = try PKIError.locating(path) {
            try PKCS12Contents(der: bytes, password: pkcs12Password, includeKey: false, using: engine)
        }
        guard !contents.certificates.isEmpty else {
            throw PKIError(.invalidInput, "\(path): no certificate in the PKCS#12 file")
        }
        return contents.certificates.map { Found(location: path, der: $0.der) }
    }

    /// The certificates in a zip's entries, each at `path!entry`, and the zip's problems
    /// (entries it refused); entries that hold no certificate are passed over. Throws when
    /// the archive itself cannot be read.
    public static func inZip(_ bytes: [UInt8], at path: String) throws -> (found: [Found], problems: [String]) {
        let contents = try ZipReader.read(bytes)
        let found = contents.files.flatMap { file in
            ((try? CertificateDecoder.certificates(from: file.contents, trusted: .certificateOnly)) ?? []).map {
                Found(location: "\(path)!\(file.name)", der: $0)
            }
        }
        return (found, contents.problems)
    }
}
