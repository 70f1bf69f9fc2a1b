import Foundation

/// Everything needed to start one external program: what runs, where, with which streams,
/// and how long it may take.
public struct ProcessInvocation: Sendable {
    /// Where a child's standard output or standard error goes.
    public enum OutputDestination: Sendable, Equatable {
        /// Collected into the result.
        case capture
        /// Thrown away (`/dev/null`).
        case discard
        /// Shared with homeport's own stream (progress that the user should see live).
        case inherit
        /// Appended to a file, created 0600 if missing: a helper's chatter in tests goes here,
        /// never to the test runner's own pipes.
        case file(String)
    }

    /// What the child reads on standard input.
    public enum InputSource: Sendable, Equatable {
        /// An empty, closed stream (`/dev/null`).
        case none
        /// These bytes, then end of file. Secrets travel this way, never as arguments.
        case data(Data)
        /// homeport's own standard input (an editor on the terminal).
        case inherit
        /// A pipe the caller writes to through `ChildProcess.standardInput` and closes when
        /// done; a child that watches for end of file then knows its owner is gone.
        case pipe
    }

    /// A program name looked up on `PATH`, or a path containing `/`.
    public var program: String
    public var arguments: [String]
    /// The child's whole environment (not merged: pass what it needs).
    public var environment: [String: String]
    /// The working directory, or nil for homeport's own.
    public var directory: String?
    public var input: InputSource
    public var output: OutputDestination
    public var error: OutputDestination
    /// After this long the child's process group gets SIGTERM, then SIGKILL after `grace`.
    public var timeout: Duration?
    /// How long a child may take to exit after SIGTERM before it is killed.
    public var grace: Duration
    /// Whether the child leads a process group of its own, so that stopping it also stops
    /// what it started. Interactive programs that read the terminal (an editor) must stay in
    /// the terminal's foreground group, so they set this to false.
    public var ownProcessGroup: Bool

    public init(_ program: String, _ arguments: [String] = [],
                environment: [String: String] = ProcessInfo.processInfo.environment,
                directory: String? = nil, input: InputSource = .none,
                output: OutputDestination = .capture, error: OutputDestination = .capture,
                timeout: Duration? = nil, grace: Duration = .seconds(5), ownProcessGroup: Bool = true) {
        self.program = program
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
        self.input = input
        self.output = output
        self.error = error
        self.timeout = timeout
        self.grace = grace
        self.ownProcessGroup = ownProcessGroup
    }

    /// The command line as one string, for messages (arguments are not secret by contract:
    /// secrets go through standard input or files).
    public var commandLine: String { ([program] + arguments).joined(separator: " ") }
}
