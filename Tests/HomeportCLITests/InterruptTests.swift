import Foundation
import HomeportCore
import Testing
import TestSupport

/// Ctrl-C on homeport stops the programs it started before homeport exits.
@Suite("interrupting homeport")
struct InterruptTests {
    @Test("SIGINT to homeport while it waits on a long-running talosctl stops talosctl; homeport exits 130")
    func interruptStopsChildren() throws {
        let folder = try TemporaryRepo()
        let pidFile = folder.root + "/talosctl.pid"
        // A fake talosctl that never answers, as one stuck on an unreachable node would.
        try folder.write("bin/talosctl", """
            #!/bin/sh
            echo $$ > "\(pidFile)"
            while :; do sleep 1; done
            """)
        chmod(folder.root + "/bin/talosctl", 0o755)
        let homeport = try ProcessRunner().start(ProcessInvocation(
            HomeportBinary.path, ["doctor", "--repo", folder.root],
            environment: ["PATH": folder.root + "/bin:/usr/bin:/bin", "HOME": folder.root],
            output: .discard, error: .discard))
        defer { homeport.terminate(grace: .seconds(1)) }
        let deadline = ContinuousClock.now + .seconds(60)
        func writtenPID() -> Int32? { Int32((folder.read("talosctl.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) }
        while writtenPID() == nil, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let talosctl = try #require(writtenPID())
        // Only homeport gets the signal (not its group): stopping talosctl is homeport's job.
        kill(homeport.pid, SIGINT)
        #expect(homeport.waitForExit() == .exited(130))
        let gone = ContinuousClock.now + .seconds(3)
        while !ProcessState.isGone(talosctl), ContinuousClock.now < gone { Thread.sleep(forTimeInterval: 0.02) }
        #expect(ProcessState.isGone(talosctl), "talosctl (pid \(talosctl)) outlived homeport")
    }
}
