/// RFC 5280 section 4.1.2.2: a serial number is a positive integer of at most 20 octets.
/// Trust anchors are exempt: long-lived public roots with serial 0 are still in use.
public struct SerialNumberRule: PathRule {
    public static let id = "serial-number"

    /// The rule has no settings: every profile that lists it applies it alike.
    public init() {}

    public func failures(in path: PathUnderReview) -> [VerificationFailure] {
        path.belowTrustAnchor.compactMap { depth, certificate in
            let serial = certificate.serialNumber
            if serial.isEmpty || serial.allSatisfy({ $0 == 0 }) {
                return failure(.malformed, "\(certificate.subject) has serial number zero", depth: depth)
            }
            if serial[0] & 0x80 != 0 {
                return failure(.malformed, "\(certificate.subject) has a negative serial number", depth: depth)
            }
            if serial.count > 20 {
                return failure(
                    .malformed, "\(certificate.subject) has a serial number longer than 20 octets", depth: depth)
            }
            return nil
        }
    }
}
