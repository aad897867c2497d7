/// The one order in which a dbpki process takes the locks of two PKI directories: by their
/// resolved paths. Every command that works on two (an intermediate and its parent) takes
/// them this way, so two such commands never each hold one lock and wait for the other.
public enum LockOrder {
    /// Opens `first` and `second` (each through `open`, which takes its lock) in path order,
    /// and returns them in the order asked.
    public static func open<T>(
        _ first: PKIDirectory, _ second: PKIDirectory, with open: (PKIDirectory) throws -> T
    ) throws -> (T, T) {
        let (a, b) = (first.resolvingLink(), second.resolvingLink())
        guard a.path != b.path else {
            throw PKIError(.invalidArgument, "\(a.path) cannot be its own parent")
        }
        if a.path < b.path {
            let opened = try open(a)
            return (opened, try open(b))
        }
        let opened = try open(b)
        return (try open(a), opened)
    }
}
