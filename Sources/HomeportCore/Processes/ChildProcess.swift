#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A running external program that homeport started.
///
/// Children start with an empty signal mask and default signal dispositions: a child started
/// from a Dispatch or concurrency thread would otherwise inherit that thread's blocked SIGTERM
/// and SIGINT and could not be stopped. Unless it is interactive, a child leads a process group
/// of its own, so stopping it also stops what it started. While it runs it is listed in
/// `ChildProcessRegistry`, which stops it when homeport is interrupted.
public final class ChildProcess: Sendable {
    /// The child's process id (and, for a group leader, its process group id).
    public let pid: pid_t
    /// What was run, for messages.
    public let commandLine: String
    /// The write end of the child's standard input, when it reads `.data` or a `.pipe`.
    public let standardInput: FileHandle?
    /// The read ends of captured standard output and standard error.
    public let standardOutput: FileHandle?
    public let standardError: FileHandle?
    let leadsGroup: Bool
    private let termination = Mutex<ProcessTermination?>(nil)

    init(pid: pid_t, commandLine: String, leadsGroup: Bool,
         inputWriter: FileHandle?, outputReader: FileHandle?, errorReader: FileHandle?) {
        self.pid = pid
        self.commandLine = commandLine
        self.leadsGroup = leadsGroup
        standardInput = inputWriter
        standardOutput = outputReader
        standardError = errorReader
    }

    /// How the child ended, or nil while it runs.
    public var exitStatus: ProcessTermination? { termination.withLock { $0 } }

    /// Sends `signalNumber` to the child's process group (or to the child alone when it shares
    /// homeport's group). Does nothing once the child has been reaped, so a reused pid is never hit.
    public func send(_ signalNumber: Int32) {
        termination.withLock { ended in
            guard ended == nil else { return }
            _ = kill(leadsGroup ? -pid : pid, signalNumber)
        }
        // A group outlives its leader while grandchildren run: they still get the signal.
        if leadsGroup, exitStatus != nil { _ = kill(-pid, signalNumber) }
    }

    /// Asks the child to stop (SIGTERM to its group) and kills it (SIGKILL) if it is still
    /// running after `grace`. Returns at once; `waitForExit()` tells when it is gone.
    public func terminate(grace: Duration = .seconds(5)) {
        send(SIGTERM)
        let deadline = ContinuousClock.now + grace
        Thread.detachNewThread { [self] in
            while ContinuousClock.now < deadline {
                if exitStatus != nil { return }
                Thread.sleep(forTimeInterval: 0.02)
            }
            send(SIGKILL)
        }
    }

    /// Blocks until the child exits, reaps it and returns how it ended. Safe to call again.
    @discardableResult
    public func waitForExit() -> ProcessTermination {
        if let ended = exitStatus { return ended }
        // Wait without reaping first, so `send` can never signal a pid the system reused.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        let ended = termination.withLock { ended -> ProcessTermination in
            if let ended { return ended }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let result = ProcessTermination(waitStatus: status)
            ended = result
            return result
        }
        ChildProcessRegistry.shared.remove(self)
        return ended
    }
}
