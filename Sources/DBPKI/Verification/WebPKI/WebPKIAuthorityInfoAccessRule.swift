/// An authorityInfoAccess extension is well formed (RFC 5280 4.2.2.1): a non-empty SEQUENCE of
/// AccessDescriptions, each an OID and one GeneralName, nothing after. Engines skip a
/// malformed one; a web PKI verifier rejects the certificate.
public struct WebPKIAuthorityInfoAccessRule: PathRule {
    public static let id = "webpki-authority-info-access"

    /// The rule has no settings.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        path.certificates.enumerated().compactMap { depth, certificate in
            guard let extensions = path.rawExtensions[depth],
                let found = extensions[CertificateExtension.authorityInfoAccess], !Self.isWellFormed(found.value)
            else { return nil }
            return failure(.malformed, "\(certificate.subject) has a malformed authorityInfoAccess", depth: depth)
        }
    }

    static func isWellFormed(_ value: ArraySlice<UInt8>) -> Bool {
        var outer = DERReader(value)
        guard let sequence = try? outer.read(tag: 0x30), outer.isAtEnd, !sequence.content.isEmpty else { return false }
        var reader = DERReader(sequence.content)
        while !reader.isAtEnd {
            guard let description = try? reader.read(tag: 0x30) else { return false }
            var parts = DERReader(description.content)
            guard (try? parts.read(tag: 0x06)) != nil, let location = try? parts.read(), parts.isAtEnd,
                location.tag & 0xc0 == 0x80, (try? CertificateNames.generalNames(location.encoded)) != nil
            else { return false }
        }
        return true
    }
}
