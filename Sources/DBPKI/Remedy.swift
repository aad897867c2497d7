/// What would put a problem right, stated as a fact for the front end to word.
///
/// The library names no command-line flag or command: a ``PKIError`` carries a remedy
/// (run the doctor on this directory, issue this name first, ...) and `dbpki` turns it
/// into advice with its own commands and flags, as swift-argument-parser keeps
/// `ValidationError` texts in the command types. Like ``PKIError/Code``, an action is a
/// struct with static members, so actions can be added without breaking callers.
public struct Remedy: Hashable, Sendable {
    /// The kind of remedy.
    public struct Action: Hashable, Sendable, CustomStringConvertible {
        /// A short, stable identifier such as `run-doctor`.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The directory has no CA: make one.
        public static let createCA = Action("create-ca")
        /// The files and the inventory disagree, or an operation is unfinished: let the doctor look.
        public static let runDoctor = Action("run-doctor")
        /// No certificate has this name yet: issue it.
        public static let issueFirst = Action("issue-first")
        /// The certificate has the wrong role for its use: issue a server certificate under this name.
        public static let issueAsServer = Action("issue-as-server")
        /// The certificate has the wrong role for its use: issue a client certificate under this name.
        public static let issueAsClient = Action("issue-as-client")
        /// The certificate has the wrong role for its use: issue a cluster member certificate under this name.
        public static let issueAsMember = Action("issue-as-member")
        /// A cluster member's subject must carry the server certificate's O, OU and DC: issue it with them.
        public static let sameClusterSubject = Action("same-cluster-subject")
        /// A client's subject must differ from the members' O, OU and DC: issue it with other ones.
        public static let subjectApartFromMembers = Action("subject-apart-from-members")
        /// The name is taken: replace the certificate or renew it.
        public static let replaceOrRenew = Action("replace-or-renew")
        /// A rollover is in progress: retire the old CA before the next one.
        public static let retireOldCA = Action("retire-old-ca")
        /// The issuing CA ends too soon for the work asked: roll it over first.
        public static let rolloverCA = Action("rollover-ca")
        /// The engine cannot write CRL entry reasons: use one that can, or leave them out.
        public static let omitCRLReasons = Action("omit-crl-reasons")
        /// A revoked key is not to be reused: renew with a new key.
        public static let renewWithNewKey = Action("renew-with-new-key")
        /// CAs are not revoked like leaves: retire them.
        public static let retireCAInstead = Action("retire-ca-instead")
        /// The certificate cannot be shipped as it is: renew it first.
        public static let renewFirst = Action("renew-first")
        /// The CA is an intermediate: its new certificate must come from the CA above it.
        public static let rolloverUnderParent = Action("rollover-under-parent")
        /// The operation is recorded in the journal: the next command that opens the PKI finishes it.
        public static let finishedByNextCommand = Action("finished-by-next-command")

        /// The certificate was signed from a request and its key is held elsewhere: have a new
        /// request made on the key's host and sign that.
        public static let signNewRequest = Action("sign-new-request")

        /// The PKI waits for its CA certificate: have its request signed where the root lives, then import it.
        public static let importCACertificate = Action("import-ca-certificate")

        /// A key is encrypted: give its password (from a file, never on the command line).
        public static let givePassword = Action("give-password")
        /// A certificate's key is encrypted: give that key's password.
        public static let giveKeyPassword = Action("give-key-password")

        public var description: String { rawValue }
    }

    /// What to do.
    public let action: Action
    /// The PKI directory it concerns, when it concerns one.
    public let directory: String?
    /// The certificate name it concerns, when it concerns one.
    public let name: String?

    /// Makes a remedy.
    public init(_ action: Action, directory: String? = nil, name: String? = nil) {
        self.action = action
        self.directory = directory
        self.name = name
    }
}
