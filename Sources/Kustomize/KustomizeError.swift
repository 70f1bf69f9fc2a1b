import Manifests

/// Why a kustomization could not be built, with the file (and line, when known) at fault.
public struct KustomizeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The file at fault, as the file source names it.
    public var path: String
    public var line: Int?

    public init(_ message: String, path: String, line: Int? = nil) {
        self.message = message
        self.path = path
        self.line = line
    }

    public init(_ message: String, path: String, mark: Mark?) {
        self.init(message, path: path, line: mark.flatMap { $0.line > 0 ? $0.line : nil })
    }

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}
