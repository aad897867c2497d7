/// Reads the files of a `verify chain` question into a ``VerificationRequest``.
public enum ChainInput {
    /// Builds a request: the leaf is the first certificate in `leafPath`; any further
    /// certificates in that file join the untrusted intermediates.
    public static func request(
        leafPath: String, trustPath: String, untrustedPaths: [String], crlPaths: [String], policy: VerificationPolicy
    ) throws -> VerificationRequest {
        let leafFile = try InputFile.decode(leafPath, CertificateDecoder.certificates(from:))
        let trust = try InputFile.decode(trustPath, CertificateDecoder.certificates(from:))
        let untrusted = try untrustedPaths.flatMap { try InputFile.decode($0, CertificateDecoder.certificates(from:)) }
        let crls = try crlPaths.flatMap { try InputFile.decode($0, CertificateDecoder.crls(from:)) }
        return VerificationRequest(
            leaf: leafFile[0], intermediates: Array(leafFile.dropFirst()) + untrusted, trustAnchors: trust, crls: crls,
            policy: policy)
    }
}
