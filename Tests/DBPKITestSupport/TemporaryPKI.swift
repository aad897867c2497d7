import DBPKI

/// A PKI directory (not yet created) in a scratch folder, removed when the test ends, for tests
/// that open a ``PKIStore``.
public final class TemporaryPKI {
    public let scratch: ScratchFolder
    /// Not created yet: a store opened with `create: true` makes it.
    public let directory: PKIDirectory

    public init() throws {
        scratch = try ScratchFolder()
        directory = PKIDirectory(scratch.file("pki"))
    }
}
