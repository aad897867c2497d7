import Foundation

/// Named crash and I/O-failure points for the crash-consistency tests (test-only).
///
/// When the environment variable `DBPKI_FAILPOINT` names a point, the process sends
/// itself SIGKILL when it reaches it, exactly as `kill -9` would at that moment: no
/// cleanup, no `defer`, no buffered output. The kill -9 tests use it to stop `init`,
/// `issue`, `renew`, `ca rollover` and `ca retire-old` between every two steps of
/// their file and database work, then check that the next command finishes the
/// interrupted operation and that `dbpki doctor` finds nothing wrong.
///
/// Points are named `OPERATION.STEP`: `issue.after-key`, `issue.after-stage`,
/// `issue.after-journal`, `issue.after-move-1`, ..., `issue.done` (see
/// ``PKIStore``'s operation steps). Unset in normal use, and then it costs one
/// string comparison per point.
///
/// `DBPKI_FAILPOINT=POINT:ERRNO` instead makes the system call at an I/O point fail
/// with `EIO` or `ENOSPC` (`:ERRNO:N`: only the first N times in the process), as a
/// failing disk or a full one would: `issue.move-2`, `issue.sync`, `issue.mark-done`
/// (after the journal committed), `bundle.write-3`, `bundle.rename-2`.
enum Failpoint {
    /// The armed point, read once from the environment.
    static let armed: String? = ProcessInfo.processInfo.environment["DBPKI_FAILPOINT"]

    /// The armed I/O failure: point, errno, and how many times it fires (nil: every time).
    private static let injection: (point: String, code: Int32, times: Int?)? = {
        guard let parts = armed?.split(separator: ":").map(String.init), parts.count >= 2 else { return nil }
        let codes: [String: Int32] = ["EIO": EIO, "ENOSPC": ENOSPC]
        guard let code = codes[parts[1]] else { return nil }
        return (parts[0], code, parts.count > 2 ? Int(parts[2]) : nil)
    }()

    /// How often the injected failure has fired.
    nonisolated(unsafe) private static var fired = 0

    /// Kills the process with SIGKILL when `name` is the armed point.
    static func hit(_ name: String) {
        guard let armed, armed == name else { return }
        kill(getpid(), SIGKILL)
    }

    /// The errno the I/O step `name` must fail with, when a test armed one for it.
    /// dbpki is single-threaded where it passes these points.
    static func injectedError(_ name: String) -> Int32? {
        guard let injection, injection.point == name else { return nil }
        if let times = injection.times, fired >= times { return nil }
        fired += 1
        return injection.code
    }
}
