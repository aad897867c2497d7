import DBPKITestSupport
import Foundation
import Testing

@Suite("dbpki audit --probe against endpoints that misbehave")
struct AuditProbeCLITests {
    static let backends = ["openssl", "gnutls"]

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    @Test(
        "a server that closes at once is unreadable (exit 3); the PKI is still reported and --output written",
        arguments: backends)
    func closesAtOnce(backend: String) throws {
        let server = try MisbehavingServer(.closeAtOnce)
        defer { server.stop() }
        let scratch = try ScratchFolder()
        let pki = try AuditCLITests.makePKI(scratch, backend: backend)
        let output = scratch.file("audit.json")
        // Several probes in one run: before the fix libssl's alert write raised SIGPIPE in most of them.
        let target = "127.0.0.1:\(server.port)"
        let probes = Array(repeating: ["--probe", target], count: 5).flatMap { $0 }
        let run = try CLIRunner.run(
            ["audit", "--dir", pki, "--backend", backend, "--format", "json", "--output", output] + probes,
            timeout: 20)
        #expect(!run.killedBySignal, "killed by signal \(run.status)")
        #expect(run.status == 3, "\(run.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        #expect((report["certificates"] as? [Any])?.count == 3)
        let summary = try #require(report["summary"] as? [String: Any])
        let unreadable = try #require(summary["unreadable"] as? [[String: String]])
        #expect(unreadable.count == 5)
        for problem in unreadable {
            #expect(problem["input"] == "probe:\(target)")
            let reason = problem["reason"] ?? ""
            #expect(reason.contains("connection was closed") || reason.contains("connection was reset"), "\(reason)")
        }
        #expect(run.stderr.contains("unreadable: probe:\(target): TLS handshake failed"))
    }

    @Test("a server that drips a byte every 0.5 s cannot hold a probe past --timeout", arguments: backends)
    func dripFeed(backend: String) throws {
        let server = try MisbehavingServer(.drip(interval: 0.5))
        defer { server.stop() }
        let start = ContinuousClock.now
        let run = try CLIRunner.run(
            [
                "audit", "--probe", "127.0.0.1:\(server.port)", "--timeout", "1", "--backend", backend, "--format",
                "json",
            ], timeout: 20)
        let elapsed = Self.seconds(since: start)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(elapsed >= 1 && elapsed < 2.5, "took \(elapsed) s")
        #expect(run.stderr.contains("unreadable: probe:127.0.0.1:\(server.port): TLS handshake timed out"))
    }

    @Test(
        "a name whose resolver never answers costs --timeout, not the resolver's 10 s", arguments: backends)
    func silentResolver(backend: String) throws {
        try #require(SilentResolver.available, "needs root, unshare, ip and /usr/bin/python3")
        let scratch = try ScratchFolder()
        let start = ContinuousClock.now
        let run = try CLIRunner.run(
            [
                "audit", "--probe", "db1.probe-deadline.invalid:27017", "--timeout", "2", "--backend", backend,
                "--format", "json",
            ], timeout: 20, launcher: try SilentResolver.launcher(in: scratch))
        let elapsed = Self.seconds(since: start)
        #expect(run.status == 3, "\(run.stderr)")
        // At least the timeout: the resolver really was silent, the lookup was cut, not refused.
        #expect(elapsed >= 2 && elapsed < 3.5, "took \(elapsed) s")
        #expect(
            run.stderr.contains(
                "unreadable: probe:db1.probe-deadline.invalid:27017: cannot resolve db1.probe-deadline.invalid: "
                    + "no answer within the timeout"), "\(run.stderr)")
    }
}

/// Runs dbpki where every DNS query goes unanswered, without a packet leaving the machine:
/// in private mount and network namespaces (`unshare`, as root) with only `lo`, a private
/// /etc/resolv.conf names 127.0.0.9, where a UDP socket bound to port 53 is handed to dbpki
/// and never read. Queries queue up unanswered (a closed port would refuse them at once), so
/// glibc waits its full 5 s × 2 attempts. The namespaces end with dbpki; nothing to clean up.
enum SilentResolver {
    static let available: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return false }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        check.arguments = ["--mount", "--net", "sh", "-c", "ip link set lo up"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? CLIRunner.launch(check)) != nil else { return false }
        check.waitUntilExit()
        return check.terminationStatus == 0
    }()

    /// The launcher for ``CLIRunner/run(_:environment:timeout:launcher:)``.
    static func launcher(in scratch: ScratchFolder) throws -> [String] {
        let resolvConf = scratch.file("resolv.conf")
        try "nameserver 127.0.0.9\noptions timeout:5 attempts:2\n".write(
            toFile: resolvConf, atomically: true, encoding: .utf8)
        let swallow = """
            import os, socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.0.9", 53))
            os.set_inheritable(s.fileno(), True)
            os.execv(sys.argv[1], sys.argv[1:])
            """
        let script = """
            ip link set lo up && mount --bind "$0" /etc/resolv.conf && exec /usr/bin/python3 -c '\(swallow)' "$@"
            """
        return ["/usr/bin/unshare", "--mount", "--net", "/bin/sh", "-c", script, resolvConf]
    }
}
