import Foundation

/// Runs external programs (`git`, `talosctl`, `kubectl`, an editor): the one place in homeport
/// that starts a process. A protocol so tests can substitute a table of answers.
public protocol CommandRunner: Sendable {
    /// Runs the invocation to its end and returns what it printed and how it ended.
    /// Cancelling the task stops the program.
    func run(_ invocation: ProcessInvocation) async throws -> CommandResult

    /// The environment programs get through the convenience `run(_:_:…)`.
    var environment: [String: String] { get }
}

extension CommandRunner {
    /// Runs `program` with `arguments`; `input` goes to standard input (secrets travel this
    /// way, never as arguments).
    public func run(_ program: String, _ arguments: [String], input: Data? = nil, directory: String? = nil,
                    timeout: Duration? = nil) async throws -> CommandResult {
        try await run(ProcessInvocation(program, arguments, environment: environment, directory: directory,
                                        input: input.map { .data($0) } ?? .none, timeout: timeout))
    }

    public var environment: [String: String] { ProcessInfo.processInfo.environment }
}

/// Starts real programs: children with a clean signal mask in their own process group,
/// stopped by timeout, by task cancellation and when homeport is interrupted.
public struct ProcessRunner: CommandRunner {
    /// The environment of the programs run through the convenience `run(_:_:…)`, and the
    /// `PATH` they are looked up on.
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The full path of `program` on this runner's PATH, or nil.
    public func which(_ program: String) -> String? {
        Self.which(program, path: environment["PATH"] ?? "/usr/bin:/bin")
    }

    /// The full path of `program` on `path` (a `:`-separated list), or nil. A program given
    /// with a `/` is taken as a path.
    public static func which(_ program: String, path: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts the program and returns at once; the caller waits, reads and stops it.
    public func start(_ invocation: ProcessInvocation) throws -> ChildProcess {
        let lookupPath = invocation.environment["PATH"] ?? environment["PATH"] ?? "/usr/bin:/bin"
        guard let executable = Self.which(invocation.program, path: lookupPath) else {
            throw HomeportError("\(invocation.program) is not installed or not on PATH (see `homeport doctor`)")
        }
        if let directory = invocation.directory {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
                throw HomeportError("cannot run \(invocation.program) in \(directory): no such folder")
            }
        }
        return try ProcessSpawner.spawn(invocation, executable: executable)
    }

    /// Runs the program to its end on the calling thread. A timeout stops the program's group
    /// (SIGTERM, then SIGKILL after the grace period) and marks the result `timedOut`.
    public func runBlocking(_ invocation: ProcessInvocation) throws -> CommandResult {
        let child = try start(invocation)
        return Self.collect(child, invocation: invocation)
    }

    public func run(_ invocation: ProcessInvocation) async throws -> CommandResult {
        let child = try start(invocation)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Blocking reads and waits belong on a thread of their own, not the task pool.
                Thread.detachNewThread { continuation.resume(returning: Self.collect(child, invocation: invocation)) }
            }
        } onCancel: {
            child.terminate(grace: invocation.grace)
        }
    }

    /// Feeds input, drains captured output on separate threads (a full pipe must never block
    /// the child), enforces the timeout and reaps the child.
    static func collect(_ child: ChildProcess, invocation: ProcessInvocation) -> CommandResult {
        let timedOut = Locked(false)
        if let timeout = invocation.timeout {
            let deadline = ContinuousClock.now + timeout
            Thread.detachNewThread {
                while ContinuousClock.now < deadline {
                    if child.hasExited { return }
                    Thread.sleep(forTimeInterval: 0.05)
                }
                guard !child.hasExited else { return }
                timedOut.withLock { $0 = true }
                child.terminate(grace: invocation.grace)
            }
        }
        let group = DispatchGroup()
        if let writer = child.standardInput, case .data(let bytes) = invocation.input {
            group.enter()
            Thread.detachNewThread {
                // A child that stops reading early makes this fail with EPIPE; that is its choice.
                try? writer.write(contentsOf: bytes)
                try? writer.close()
                group.leave()
            }
        }
        let errorText = Locked(Data())
        if let reader = child.standardError {
            group.enter()
            Thread.detachNewThread {
                let data = (try? reader.readToEnd()) ?? Data()
                errorText.withLock { $0 = data }
                group.leave()
            }
        }
        let output = (try? child.standardOutput?.readToEnd()) ?? nil
        group.wait()
        let ended = child.waitForExit()
        return CommandResult(status: ended.code,
                             output: String(decoding: output ?? Data(), as: UTF8.self),
                             error: String(decoding: errorText.withLock { $0 }, as: UTF8.self),
                             timedOut: timedOut.value, outputData: output ?? Data())
    }
}
