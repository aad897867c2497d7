import Foundation
import Testing

/// Runs the built `dbpki` binary as a user would, with a timeout.
struct CLIRunner {
    struct Outcome {
        let status: Int32
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

    /// Runs dbpki with `arguments`; kills it after `timeout` seconds.
    static func run(_ arguments: [String], timeout: TimeInterval = 60) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = DispatchTime.now() + timeout
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            process.waitUntilExit()
            finished.signal()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        if finished.wait(timeout: deadline) == .timedOut {
            process.terminate()
            Issue.record("dbpki \(arguments.joined(separator: " ")) timed out")
        }
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }
}
