/// Reads the files of a `verify chain` question into a ``VerificationRequest``.
public enum ChainInput {
    /// Builds a request: the leaf is the first certificate in `leafPath`; any further
    /// certificates in that file join the untrusted intermediates.
    public static func request(
        leafPath: String, trustPath: String, untrustedPaths: [String], crlPaths: [String], policy: VerificationPolicy
    ) throws -> VerificationRequest {
        let leafFile = try InputFile.decode(leafPath, shapedCertificates(from:))
        let trust = try InputFile.decode(trustPath, shapedCertificates(from:))
        let untrusted = try untrustedPaths.flatMap { try InputFile.decode($0, shapedCertificates(from:)) }
        let crls = try crlPaths.flatMap { try InputFile.decode($0, CertificateDecoder.crls(from:)) }
        return VerificationRequest(
            leaf: leafFile[0], intermediates: Array(leafFile.dropFirst()) + untrusted, trustAnchors: trust, crls: crls,
            policy: policy)
    }

    /// The certificates of a file, each at least shaped as one (SEQUENCE of a SEQUENCE, a
    /// SEQUENCE and a BIT STRING). Only then is a certificate the engines refuse to decode a
    /// verdict (malformed: invalid, exit 1); anything else holds no certificate (exit 65).
    private static func shapedCertificates(from bytes: [UInt8]) throws -> [[UInt8]] {
        let certificates = try CertificateDecoder.certificates(from: bytes)
        for (number, der) in certificates.enumerated() where !isCertificateShaped(der) {
            let which = certificates.count > 1 ? "block \(number + 1) " : ""
            throw PKIError(
                .invalidInput, "\(which)is not an X.509 certificate (not a signed TBSCertificate structure)")
        }
        return certificates
    }

    private static func isCertificateShaped(_ der: [UInt8]) -> Bool {
        var outer = DERReader(der[...])
        guard let certificate = try? outer.read(tag: 0x30), outer.isAtEnd else { return false }
        var parts = DERReader(certificate.content)
        guard (try? parts.read(tag: 0x30)) != nil, (try? parts.read(tag: 0x30)) != nil,
            (try? parts.read(tag: 0x03)) != nil
        else { return false }
        return parts.isAtEnd
    }
}
