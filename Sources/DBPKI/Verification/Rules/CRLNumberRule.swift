/// RFC 5280 section 5.2.3: a conforming CRL carries a cRLNumber. A CRL without one
/// cannot be ordered against its successors, so it is not used.
public struct CRLNumberRule: PathRule {
    public static let id = "crl-number"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        path.crls.filter { $0.crlNumber == nil }.map {
            failure(.invalidCRL, "the CRL issued by \($0.issuer) has no cRLNumber", depth: nil)
        }
    }
}
