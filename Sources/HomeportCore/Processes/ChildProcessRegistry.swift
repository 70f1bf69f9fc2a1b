#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization

/// The children that are running now, so an interrupted homeport can stop them before it exits.
public final class ChildProcessRegistry: Sendable {
    /// The registry of this process.
    public static let shared = ChildProcessRegistry()

    private struct Entry {
        var child: ChildProcess
        var interactive: Bool
    }

    private struct State {
        var entries: [pid_t: Entry] = [:]
        /// Set once homeport is stopping: no new child may start.
        var stopping = false
    }

    private let state = Mutex(State())
    private let handlers = Mutex<[any DispatchSourceSignal]>([])

    /// Starts a child and lists it in one step, so an interrupt that arrives meanwhile waits
    /// for the listing and stops the new child too; once homeport is stopping, nothing starts.
    func register(interactive: Bool, _ spawn: () throws -> ChildProcess) throws -> ChildProcess {
        try state.withLock { state in
            guard !state.stopping else { throw HomeportError("homeport is stopping; no new program is started") }
            let child = try spawn()
            state.entries[child.pid] = Entry(child: child, interactive: interactive)
            return child
        }
    }

    func remove(_ child: ChildProcess) {
        state.withLock { _ = $0.entries.removeValue(forKey: child.pid) }
    }

    /// Whether an interrupt is stopping homeport. The main flow then leaves the exit to the
    /// interrupt handler, so the exit status says "interrupted" and not the error a stopped
    /// child caused.
    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// Blocks for good when homeport is stopping (the interrupt handler exits the process).
    public func yieldToInterrupt() {
        while isStopping { Thread.sleep(forTimeInterval: 1) }
    }

    /// The children running now.
    public var running: [ChildProcess] { state.withLock { $0.entries.values.map(\.child) } }

    /// Stops every running child: SIGTERM to each group, SIGKILL to what is left after `grace`.
    /// Returns when all are gone.
    public func stopAll(grace: Duration = .seconds(2)) {
        let children = running
        for child in children { child.send(SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, children.contains(where: { !$0.hasExited }) {
            Thread.sleep(forTimeInterval: 0.02)
        }
        for child in children where !child.hasExited { child.send(SIGKILL) }
    }

    /// Makes SIGINT, SIGTERM and SIGHUP stop homeport's children before homeport exits with
    /// 128 plus the signal number, as a shell would report it. While an interactive child (an
    /// editor) runs, an interrupt belongs to it: the terminal already delivered it there.
    public func stopChildrenOnInterrupt() {
        handlers.withLock { installed in
            guard installed.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [self] in
                    let editorRuns = state.withLock { state -> Bool in
                        if state.entries.values.contains(where: \.interactive) { return true }
                        state.stopping = true
                        return false
                    }
                    if editorRuns { return }
                    stopAll()
                    exit(128 + signalNumber)
                }
                source.resume()
                installed.append(source)
            }
        }
    }
}

extension ChildProcess {
    /// Whether the child has exited (reaped or not), checked without blocking.
    var hasExited: Bool {
        if exitStatus != nil { return true }
        var info = siginfo_t()
        let answer = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT | WNOHANG)
        // With WNOHANG the answer stays zeroed while the child runs; an error means it is gone.
        return answer == -1 || info.si_signo != 0
    }
}
