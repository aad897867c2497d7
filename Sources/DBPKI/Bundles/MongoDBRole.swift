/// A role an x.509 user gets in `x509-users.js`: a role name and the database it is defined in.
public struct MongoDBRole: Hashable, Sendable, CustomStringConvertible {
    /// The role's name, such as `readWrite`.
    public var role: String
    /// The database the role is defined in (`admin` for the any-database roles).
    public var database: String

    /// Makes a role.
    public init(role: String, database: String) {
        self.role = role
        self.database = database
    }

    /// What a new x.509 user gets unless told otherwise: read and write on every database
    /// but the system ones, the default a managed MongoDB service gives a new database user.
    /// Narrow it per application with `ROLE@DB` (such as `readWrite@orders`).
    public static let defaultRoles = [MongoDBRole(role: "readWriteAnyDatabase", database: "admin")]

    /// Parses `ROLE@DB` (or `ROLE`, in `admin`). Role and database names are kept to letters,
    /// digits, `_`, `-` (and `.` in a role), so the shell script that creates users stays plain.
    public static func parse(_ text: String) throws -> MongoDBRole {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let role = parts[0]
        let database = parts.count == 2 ? parts[1] : "admin"
        func plain(_ value: String, dots: Bool) -> Bool {
            !value.isEmpty && value.count <= 64
                && value.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
                        || $0 == "-" || (dots && $0 == ".")
                }
        }
        guard plain(role, dots: true), plain(database, dots: false) else {
            let shown = TextEscaping.printable(text, limit: 64)
            throw PKIError(
                .invalidArgument,
                "'\(shown)' is not a MongoDB role: write ROLE@DATABASE (such as readWrite@orders) with letters, digits, '_' and '-'"
            )
        }
        return MongoDBRole(role: role, database: database)
    }

    /// The role document in mongo shell syntax.
    var document: String { "{role: \(QuotedText.json(role)), db: \(QuotedText.json(database))}" }

    public var description: String { "\(role)@\(database)" }
}
