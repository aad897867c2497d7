import Foundation
import Testing

/// Runs the built `dbpki` binary as a user would, with a timeout.
struct CLIRunner {
    struct Outcome {
        let status: Int32
        /// True when the child died of a signal (`status` is then the signal number).
        let killedBySignal: Bool
        let stdout: String
        let stderr: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardizedFileURL

    /// `DBPKI_BIN` when set, else the `dbpki` built next to the test bundle.
    static let binary: URL = {
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

    static func testdata(_ path: String) -> String {
        repository.appendingPathComponent("testdata").appendingPathComponent(path).path
    }

    /// Runs dbpki with `arguments` and extra `environment` variables. The output is read while the
    /// child runs, so a child that hangs is killed (SIGKILL) after `timeout` seconds and the test
    /// records it instead of waiting for ever. A `launcher` (a program and its arguments, such as
    /// `unshare ...`) runs dbpki as its last arguments instead.
    static func run(
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
        try process.run()
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

/// Drains one pipe on a thread of its own, so a child never blocks on a full pipe and a hung
/// child cannot block the reader.
private final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            // read(2) with EINTR retried: FileHandle.readDataToEndOfFile traps on an interrupted
            // read (a signal such as SIGCHLD landing on this thread), which crashed whole test runs.
            let fd = handle.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let got = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                if got > 0 {
                    data.append(contentsOf: buffer[0..<got])
                } else if got < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            done.signal()
        }
    }

    /// What the child wrote; waits at most a few seconds for grandchildren still holding the pipe.
    func text() -> String {
        _ = done.wait(timeout: .now() + 5)
        return String(decoding: data, as: UTF8.self)
    }
}
