import Foundation
import HomeportCore

/// Runs a program and captures what it prints, through homeport's own process runner.
public enum TestProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// Runs `executable` with `arguments`, optional standard input and extra environment.
    /// A run that outlives `timeout` is stopped (its whole process group) and reported with
    /// status 128 + SIGTERM, so a hung program cannot hang the suite.
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil,
                           environment: [String: String] = [:], directory: String? = nil,
                           timeout: Duration = .seconds(300)) throws -> Result {
        let invocation = ProcessInvocation(executable, arguments,
                                           environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                                           directory: directory, input: input.map { .data($0) } ?? .data(Data()),
                                           timeout: timeout)
        let result = try ProcessRunner().runBlocking(invocation)
        return Result(status: result.status, standardOutput: result.output, standardError: result.error)
    }

    /// The full path of a program on PATH, or nil.
    public static func which(_ name: String) -> String? {
        ProcessRunner.which(name, path: ProcessInfo.processInfo.environment["PATH"] ?? "")
    }
}
