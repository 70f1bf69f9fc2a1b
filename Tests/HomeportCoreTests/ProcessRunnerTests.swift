import Foundation
import Testing
import TestSupport
@testable import HomeportCore

/// The process runner: children that can be stopped, by timeout, by cancellation and by scope.
@Suite("process runner")
struct ProcessRunnerTests {
    /// A private folder for the scripts and files of one test.
    static func scratchFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-process-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Polls until `condition` holds or `limit` passes; returns whether it held.
    static func eventually(within limit: Duration, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return condition()
    }

    /// The same, for async tests: it suspends instead of blocking, so the task that starts the
    /// program gets a thread of the (small) cooperative pool.
    static func eventuallySuspending(within limit: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    /// Reads one line the child prints.
    static func readLine(_ handle: FileHandle) throws -> String {
        var line = Data()
        while let byte = try handle.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        return String(decoding: line, as: UTF8.self)
    }

    @Test("a child started from a concurrency thread has no blocked signals and dies of SIGTERM at once, with what it started")
    func terminateStopsTheGroup() async throws {
        // The child reports its blocked-signal mask and the pid of a grandchild, then would wait 300 s.
        let script = "grep SigBlk /proc/self/status | cut -f2; sleep 300 & echo $!; wait"
        let child = try ProcessRunner().start(ProcessInvocation("/bin/sh", ["-c", script], output: .capture, error: .discard))
        let output = try #require(child.standardOutput)
        let blocked = try Self.readLine(output)
        let grandchild = try #require(Int32(try Self.readLine(output)))
        #expect(blocked == "0000000000000000", "the child inherited blocked signals: \(blocked)")

        let started = ContinuousClock.now
        child.terminate(grace: .seconds(60))
        let ended = child.waitForExit()
        #expect(ended == .signaled(SIGTERM), "SIGTERM ended it, not the SIGKILL that follows the 60 s grace")
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(Self.eventually(within: .seconds(1)) { ProcessState.isGone(grandchild) }, "the grandchild in the same group is stopped too")
        #expect(!ChildProcessRegistry.shared.running.contains { $0.pid == child.pid })
    }

    @Test("a timeout stops the program's group and says so")
    func timeout() throws {
        let result = try ProcessRunner().runBlocking(
            ProcessInvocation("/bin/sh", ["-c", "echo started; sleep 300"], timeout: .milliseconds(300), grace: .seconds(60)))
        #expect(result.timedOut)
        #expect(!result.succeeded)
        #expect(result.status == 128 + SIGTERM)
        #expect(result.output == "started\n")
    }

    @Test("a program that ignores SIGTERM is killed after the grace period")
    func killAfterGrace() throws {
        let result = try ProcessRunner().runBlocking(
            ProcessInvocation("/bin/sh", ["-c", "trap '' TERM; echo ready; while :; do sleep 1; done"],
                              timeout: .milliseconds(300), grace: .milliseconds(300)))
        #expect(result.timedOut)
        #expect(result.status == 128 + SIGKILL)
    }

    @Test("cancelling the task stops the program")
    func cancellation() async throws {
        let folder = try Self.scratchFolder()
        let pidFile = folder + "/pid"
        let task = Task {
            try await ProcessRunner().run(ProcessInvocation("/bin/sh", ["-c", "echo $$ > \(pidFile); exec sleep 300"]))
        }
        func writtenPID() -> Int32? {
            (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        #expect(await Self.eventuallySuspending(within: .seconds(60)) { writtenPID() != nil }, "a loaded machine may start sh slowly")
        let pid = try #require(writtenPID())
        task.cancel()
        let result = try await task.value
        #expect(result.status == 128 + SIGTERM)
        #expect(ProcessState.isGone(pid))
    }

    @Test("input, captured output and exit codes arrive intact; large output cannot block the child")
    func streams() throws {
        let input = Data((0..<200_000).map { _ in UInt8.random(in: 97...122) })
        let result = try ProcessRunner().runBlocking(
            ProcessInvocation("/bin/sh", ["-c", "cat; head -c 300000 /dev/zero | tr '\\0' e >&2; exit 7"], input: .data(input)))
        #expect(result.status == 7)
        #expect(result.outputData == input)
        #expect(result.error.count == 300_000)
    }

    @Test("output sent to a file stays out of the caller's pipes; a missing program or folder is a clear error")
    func destinationsAndErrors() throws {
        let folder = try Self.scratchFolder()
        let result = try ProcessRunner().runBlocking(
            ProcessInvocation("/bin/sh", ["-c", "pwd; echo oops >&2"], directory: folder, output: .file(folder + "/out.log"),
                              error: .file(folder + "/out.log")))
        #expect(result.output.isEmpty)
        let logged = try String(contentsOfFile: folder + "/out.log", encoding: .utf8)
        #expect(logged.contains("oops"))
        #expect(logged.contains(URL(fileURLWithPath: folder).lastPathComponent))
        #expect(throws: HomeportError.self) { try ProcessRunner().runBlocking(ProcessInvocation("homeport-no-such-program")) }
        #expect(throws: HomeportError.self) { try ProcessRunner().runBlocking(ProcessInvocation("/bin/true", directory: folder + "/missing")) }
    }
}
