import ArgumentParser
import DBPKI

/// `--profile`: the verification profile `verify chain` applies and whose certificate rules
/// `audit` reports, by the ids `VerificationProfile.all` lists.
struct ProfileOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            """
            The rule set: rfc5280 (RFC 5280 and RFC 6125, the default), or webpki (also the CA/Browser Forum \
            Baseline Requirements' certificate profile).
            """,
            valueName: "PROFILE"))
    var profile: String = VerificationProfile.rfc5280.id

    func check() throws {
        guard VerificationProfile.named(profile) != nil else {
            let names = VerificationProfile.all.map(\.id).joined(separator: ", ")
            throw ValidationError("--profile must be one of \(names), not '\(profile)'")
        }
    }

    /// The profile named; check() has run.
    var value: VerificationProfile { VerificationProfile.named(profile) ?? .rfc5280 }
}
