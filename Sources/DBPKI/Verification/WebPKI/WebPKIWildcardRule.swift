/// A wildcard covers names under one registrable domain, never a whole top-level domain
/// (Baseline Requirements 3.2.2.6): `*.example.com` is allowed, `*.com` is not.
///
/// This is the part of the public-suffix check that needs no list: dbpki carries no copy of
/// the Public Suffix List, so `*.co.uk` (a suffix of two labels) is not caught here.
public struct WebPKIWildcardRule: PathRule {
    public static let id = "webpki-wildcard-scope"
    public static let judgesTheLeafOnly = true

    /// The rule has no settings.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        path.leaf.subjectAlternativeNames.compactMap { name in
            guard case .dns(let host) = name, host.hasPrefix("*.") else { return nil }
            let base = host.dropFirst(2).split(separator: ".", omittingEmptySubsequences: true)
            guard base.count < 2 else { return nil }
            return failure(
                .malformed, "the wildcard '\(TextEscaping.printable(host))' covers a whole top-level domain", depth: 0)
        }
    }
}
