import Foundation

/// Locates `../shared/data` (the project's read-only test data) and the package root.
public enum SharedData {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// `shared/data`, from `HOMEPORT_SHARED_DATA` or next to the checkout; nil when absent
    /// (tests using it then skip, and say so).
    public static let root: String? = {
        if let explicit = ProcessInfo.processInfo.environment["HOMEPORT_SHARED_DATA"],
           FileManager.default.fileExists(atPath: explicit) { return explicit }
        let candidates = [packageRoot + "/../shared/data", packageRoot + "/../../shared/data", "/work/shared/data"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }.map {
            URL(fileURLWithPath: $0).standardizedFileURL.path
        }
    }()

    /// The path of a file under shared/data, or nil.
    public static func path(_ relative: String) -> String? {
        root.map { $0 + "/" + relative }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
    }

    /// True when CI runs the tests: missing tools and data are failures there, not skips.
    public static var isCI: Bool {
        ProcessInfo.processInfo.environment["CI"] != nil
    }
}
