import Foundation

/// The `homeport` executable that `swift test` built next to the test bundle.
public enum HomeportBinary {
    public static let path: String = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var folder = runner.deletingLastPathComponent()
        // The runner may be inside `X.xctest/` (a bundle folder) or next to the products.
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("homeport").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return SharedData.packageRoot + "/.build/debug/homeport"
    }()

    /// Runs `homeport` with arguments.
    public static func run(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
                           directory: String? = nil) throws -> TestProcess.Result {
        try TestProcess.run(path, arguments, input: input, environment: environment, directory: directory)
    }
}
