/// Every certificate in a file dbpki is asked to read: PEM (any number, keys and other
/// blocks skipped), DER, or a client zip (the certificates inside its entries).
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

    /// Reads `path`; throws when it is unreadable or holds no certificate at all.
    public static func certificates(at path: String) throws -> [Found] {
        let bytes = try InputFile.read(path)
        if ZipReader.looksLikeZip(bytes) {
            let contents = try InputFile.decode(path) { try ZipReader.read($0) }
            if let problem = contents.problems.first { throw PKIError(.invalidInput, "\(path): \(problem)") }
            let found = contents.files.flatMap { file in
                ((try? CertificateDecoder.certificates(from: file.contents)) ?? []).map {
                    Found(location: "\(path)!\(file.name)", der: $0)
                }
            }
            guard !found.isEmpty else { throw PKIError(.invalidInput, "\(path): no certificate in the zip") }
            return found
        }
        return try InputFile.decode(path) { try CertificateDecoder.certificates(from: $0) }.map {
            Found(location: path, der: $0)
        }
    }
}
