import Foundation
import HomeportCore

/// The result of running an external program.
public struct CommandResult: Sendable, Hashable {
    public var status: Int32
    public var output: String
    public var error: String

    public init(status: Int32, output: String, error: String) {
        self.status = status
        self.output = output
        self.error = error
    }

    public var succeeded: Bool { status == 0 }
}

/// Runs external programs (`talosctl`, `kubectl`, `git`). A protocol so tests can record.
public protocol CommandRunner: Sendable {
    /// Runs `program` (looked up on PATH) with `arguments`; `input` goes to standard input
    /// (secrets travel this way, never as arguments).
    func run(_ program: String, _ arguments: [String], input: Data?, directory: String?) async throws -> CommandResult
}

extension CommandRunner {
    public func run(_ program: String, _ arguments: [String], input: Data? = nil, directory: String? = nil) async throws -> CommandResult {
        try await run(program, arguments, input: input, directory: directory)
    }
}

/// Runs programs with Foundation's `Process`, finding them on `PATH`.
public struct ProcessRunner: CommandRunner {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The full path of `program` on PATH, or nil.
    public func which(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public func run(_ program: String, _ arguments: [String], input: Data?, directory: String?) async throws -> CommandResult {
        guard let path = which(program) else {
            throw HomeportError("\(program) is not installed or not on PATH (see `homeport doctor`)")
        }
        let environment = self.environment
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: path)
                    process.arguments = arguments
                    process.environment = environment
                    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
                    let output = Pipe(), error = Pipe(), stdin = Pipe()
                    process.standardOutput = output
                    process.standardError = error
                    process.standardInput = stdin
                    try process.run()
                    if let input { stdin.fileHandleForWriting.write(input) }
                    try? stdin.fileHandleForWriting.close()
                    // Read standard error on another thread so a full pipe cannot block the child.
                    let group = DispatchGroup()
                    let errorBox = DataBox()
                    group.enter()
                    DispatchQueue.global().async {
                        errorBox.data = error.fileHandleForReading.readDataToEndOfFile()
                        group.leave()
                    }
                    let outputData = output.fileHandleForReading.readDataToEndOfFile()
                    group.wait()
                    let errorData = errorBox.data
                    process.waitUntilExit()
                    continuation.resume(returning: CommandResult(status: process.terminationStatus,
                                                                 output: String(decoding: outputData, as: UTF8.self),
                                                                 error: String(decoding: errorData, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: HomeportError("cannot run \(program): \(error.localizedDescription)"))
                }
            }
        }
    }
}

/// Bytes handed from a reader thread to the waiting one (ordered by a DispatchGroup).
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
