import Foundation

/// Named crash points for the crash-consistency tests (test-only).
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
enum Failpoint {
    /// The armed point, read once from the environment.
    static let armed: String? = ProcessInfo.processInfo.environment["DBPKI_FAILPOINT"]

    /// Kills the process with SIGKILL when `name` is the armed point.
    static func hit(_ name: String) {
        guard let armed, armed == name else { return }
        kill(getpid(), SIGKILL)
    }
}
