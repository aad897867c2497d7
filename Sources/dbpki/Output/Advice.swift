import DBPKI

/// The CLI's words for a ``Remedy``: the library states what would help, the CLI says
/// which command and flags do it.
extension Remedy {
    /// The advice, with the separator that joins it to the error's message.
    var advice: String {
        let dir = directory ?? "PKI"
        let name = self.name ?? "NAME"
        switch action {
        case .createCA: return ": run 'dbpki init --dir \(dir) --name NAME' first"
        case .runDoctor: return "; run 'dbpki doctor --dir \(dir)'"
        case .issueFirst: return ": issue it with 'dbpki issue \(name)' first"
        case .issueAsServer: return ": issue one without --client"
        case .issueAsClient: return ": issue one with --client"
        case .issueAsMember:
            return
                ": issue one with 'dbpki issue \(name) --member --subject ...' (the O, OU and DC of the server's certificate)"
        case .sameClusterSubject:
            return
                "; issue it with the server certificate's O, OU and DC ('dbpki issue \(name) --member --force --subject ...')"
        case .subjectApartFromMembers:
            return
                "; issue it with a different O, OU or DC ('dbpki issue \(name) --client --force --subject \"O=...,OU=Apps\"')"
        case .replaceOrRenew: return "; use --force to replace it, or 'dbpki renew \(name)' to renew it"
        case .retireOldCA: return "; retire it with 'dbpki ca retire-old --dir \(dir)' before rolling over again"
        case .rolloverCA: return "; run 'dbpki ca rollover --dir \(dir)' first (see the README's rotation steps)"
        case .omitCRLReasons: return ": use --backend openssl, or --no-reasons to leave them out"
        case .renewWithNewKey: return ": renew it with a new key (without --reuse-key)"
        case .retireCAInstead: return " (retire a CA with 'dbpki ca retire-old')"
        case .renewFirst: return ": renew it ('dbpki renew \(name)') before bundling it"
        case .rolloverUnderParent:
            return
                ": roll it over under its parent with 'dbpki ca rollover --dir \(dir) --parent ROOT' (ROOT: the PKI directory that signed it)"
        case .finishedByNextCommand: return " (recorded; the next dbpki command will finish it)"
        case .signNewRequest:
            return
                ": have a new request made on the key's host and sign that under a new name ('dbpki sign CSR --dir \(dir) NEWNAME')"
        case .importCACertificate:
            return "; have the request signed where the root lives ('dbpki sign REQUEST --dir ROOT --ca --out CERT'), "
                + "then import it ('dbpki init --dir \(dir) --import CERT --root ROOTCERT')"
        case .givePassword:
            return
                "; give the password with --password-file FILE or DBPKI_PASSWORD_FILE, or run on a terminal to be asked"
        case .giveKeyPassword:
            return "; give the key's password with --key-password-file FILE, or run on a terminal to be asked"
        default: return ""
        }
    }
}
