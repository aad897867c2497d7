import ArgumentParser
import DBPKI
import Foundation

struct CAStatusCommand: ParsableCommand, CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the rollover phase, both CAs and what is still signed by the old one.",
        discussion: """
            The phase is one of: single CA; rollover in progress (the new CA issues, the old one is still in the \
            bundles, and active certificates are still signed by it); ready to retire (nothing active is signed by \
            the old CA: run 'dbpki ca retire-old'). --json prints the same as one object with phase (single-ca, \
            rollover-in-progress, ready-to-retire), current_ca and old_ca (their records, with the keys of \
            'dbpki list --json'; old_ca null outside a rollover), still_on_old_ca and still_on_retired_ca (names). \
            Certificates still active under a CA retired with 'ca retire-old --force' are listed as such: clients \
            with the new-only bundle do not trust them, so renew them.

            Example:
              $ dbpki ca status --dir pki
              phase            rollover in progress
              current CA       CN=Example DB CA G2  serial 4f0c...  not after 2046-11-26T01:00:00Z
              old CA           CN=Example DB CA  serial 3bec...  not after 2046-11-20T22:45:16Z
              still on old CA  db1, app
              next             dbpki renew NAME --dir pki for each, then dbpki ca retire-old --dir pki

            """ + ExitStatus.help("ca status")
    )

    @OptionGroup var pki: PKIDirectoryOption

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var engine: EngineOptions

    func check() throws { try pki.check() }

    func run() throws {
        let dir = try pki.path()
        let store = try engine.openStore(dir)
        let status = try store.caStatus()
        if json {
            func ca(_ record: InventoryRecord?) -> Any {
                record.map { ListCommand.object($0, in: store.directory) } ?? NSNull()
            }
            let object: [String: Any] = [
                "phase": status.phase.rawValue, "current_ca": ca(status.current), "old_ca": ca(status.old),
                "still_on_old_ca": status.stillOnOldCA.map(\.name),
                "still_on_retired_ca": status.stillOnRetiredCA.map(\.name),
            ]
            try JSONText.print(object)
            return
        }
        func line(_ label: String, _ value: String) {
            print(label.padding(toLength: 17, withPad: " ", startingAt: 0) + value)
        }
        func describe(_ record: InventoryRecord) -> String {
            "\(record.subject)  serial \(record.serial)  not after \(RFC3339.format(record.notAfter))"
        }
        line("phase", status.phase.text)
        if let current = status.current { line("current CA", describe(current)) }
        if let old = status.old {
            line("old CA", describe(old))
            line(
                "still on old CA",
                status.stillOnOldCA.isEmpty ? "none" : status.stillOnOldCA.map(\.name).joined(separator: ", "))
        }
        if !status.stillOnRetiredCA.isEmpty {
            line("on a retired CA", status.stillOnRetiredCA.map(\.name).joined(separator: ", "))
            line("next", "dbpki renew NAME --dir \(dir) for each: clients no longer trust them")
        }
        switch status.phase {
        case .singleCA: break
        case .rolloverInProgress:
            line("next", "dbpki renew NAME --dir \(dir) for each, then dbpki ca retire-old --dir \(dir)")
        case .readyToRetire: line("next", "dbpki ca retire-old --dir \(dir)")
        }
    }
}
