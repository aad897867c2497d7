import ArgumentParser
import DBPKI

/// `--subject`: the attributes (C, ST, L, O, OU, DC) put in a certificate's subject before its
/// CN, shared by `init` and `issue` so both read and refuse them alike.
struct SubjectOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Subject attributes before the CN, such as \"O=Acme,OU=Databases,C=DE\": C, ST, L, O, OU or DC, "
                + "encoded in the order written (RFC 4514 escapes, such as \\, for a comma).",
            valueName: "attributes"))
    var subject: String?

    /// The attributes given, in the order written (empty without `--subject`); a bad value is
    /// a usage error naming the flag.
    func attributes() throws -> DistinguishedName {
        guard let subject else { return DistinguishedName([]) }
        do {
            return try RFC4514.parse(subject)
        } catch let error as PKIError {
            throw ValidationError("--subject: \(error.message)")
        }
    }
}
