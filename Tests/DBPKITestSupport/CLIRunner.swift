import Foundation
import Testing

/// Runs the built `dbpki` binary as a user would, with a timeout that fires on a hung child, so a
/// CLI test states arguments and environment and checks the exit status and both outputs.
public struct CLIRunner {
    /// How one run ended and what it wrote.
    public struct Outcome: Sendable {
        public let status: Int32
        /// True when the child died of a signal (`status` is then the signal number).
        public let killedBySignal: Bool
        public let stdout: String
        public let stderr: String
    }

    /// The repository's root folder.
    public static var repository: URL { TestData.repository }

    /// `DBPKI_BIN` when set, else the `dbpki` built next to the test bundle.
    public static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["DBPKI_BIN"] { return URL(fileURLWithPath: path) }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("dbpki")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue
            {
                return candidate
            }
            folder.deleteLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/dbpki")
    }()

    /// Starts `process`, one start at a time in this test process: Foundation's `Process.run()`
    /// crashed (SIGSEGV in a memcpy inside it) when the suites, running in parallel, started
    /// children at the same moment. Waiting for a child is not serialized, only starting one.
    /// (The crash came back with thousands of descriptors open: see ``PipeReader``, which now
    /// closes each pipe it drained.)
    public static func launch(_ process: Process) throws {
        launching.lock()
        defer { launching.unlock() }
        try process.run()
    }

    private static let launching = NSLock()

    /// The file path of `path` inside `testdata/`.
    public static func testdata(_ path: String) -> String { TestData.path(path) }

    /// Runs dbpki with `arguments` and extra `environment` variables. The output is read while the
    /// child runs, so a child that hangs is killed (SIGKILL) after `timeout` seconds and the test
    /// records it instead of waiting for ever. A `launcher` (a program and its arguments, such as
    /// `unshare ...`) runs dbpki as its last arguments instead.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60,
        launcher: [String] = []
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = launcher.first.map { URL(fileURLWithPath: $0) } ?? binary
        process.arguments = launcher.isEmpty ? arguments : launcher.dropFirst() + [binary.path] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try launch(process)
        let stdout = PipeReader(out.fileHandleForReading)
        let stderr = PipeReader(err.fileHandleForReading)
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            Issue.record("dbpki \(arguments.joined(separator: " ")) timed out after \(Int(timeout)) s and was killed")
        }
        return Outcome(
            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: stdout.text(), stderr: stderr.text())
    }
}
