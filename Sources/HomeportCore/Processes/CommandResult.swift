import Foundation

/// What a finished external program left behind.
public struct CommandResult: Sendable, Hashable {
    /// The exit code, or 128 plus the signal that ended the program.
    public var status: Int32
    /// Standard output, when it was captured.
    public var output: String
    /// Standard error, when it was captured.
    public var error: String
    /// Standard output as bytes, for output that need not be UTF-8 (file names from git).
    public var outputData: Data
    /// Whether the runner stopped the program because it ran past its timeout.
    public var timedOut: Bool

    public init(status: Int32, output: String, error: String, timedOut: Bool = false, outputData: Data? = nil) {
        self.status = status
        self.output = output
        self.error = error
        self.timedOut = timedOut
        self.outputData = outputData ?? Data(output.utf8)
    }

    public var succeeded: Bool { status == 0 && !timedOut }
}
