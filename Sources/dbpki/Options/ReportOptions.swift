import ArgumentParser
import DBPKI
import Foundation

/// `--json` and `--quiet`: what a script wants from a command that reports what it did.
struct ReportOptions: ParsableArguments {
    @Flag(help: "Print one JSON object on stdout instead of the text report (keys in the discussion above).")
    var json = false

    @Flag(name: .shortAndLong, help: "Print nothing on success (errors still go to stderr; --json still prints).")
    var quiet = false

    /// Prints a line of the human-readable report, unless `--quiet` or `--json`.
    func say(_ line: String) {
        if !quiet && !json { print(line) }
    }

    /// Prints the object `make` returns as JSON when `--json` was given (`make` is not called otherwise).
    func emit(_ make: () throws -> Any) throws {
        if json { try JSONText.print(try make()) }
    }

    /// A certificate's inventory record as `dbpki list --json` prints it, with `files`: the paths the
    /// command wrote. Every command that reports a certificate uses these keys.
    static func record(_ record: InventoryRecord?, in directory: PKIDirectory, files: [String]) throws -> [String: Any]
    {
        guard let record else { throw PKIError(.engine, "the inventory of \(directory.path) has no record of it") }
        var object = ListCommand.object(record, in: directory)
        object["files"] = files
        return object
    }
}

/// JSON on stdout the same way for every command: sorted keys, indented, `/` unescaped.
enum JSONText {
    static func print(_ object: Any) throws {
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}
