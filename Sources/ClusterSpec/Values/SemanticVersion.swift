/// A release version such as `v1.13.9` (Talos) or `v1.36.3` (Kubernetes): major, minor and
/// patch, an optional pre-release suffix (`-beta.1`), and an optional leading `v`.
public struct SemanticVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int
    /// The text after `-`, e.g. `beta.1`; nil for a release.
    public var preRelease: String?

    public init(major: Int, minor: Int, patch: Int, preRelease: String? = nil) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
    }

    /// Parses `vMAJOR.MINOR.PATCH[-PRERELEASE]`; the `v` is optional.
    public init?(_ text: some StringProtocol) {
        var rest = Substring(text)
        if rest.first == "v" { rest = rest.dropFirst() }
        var preRelease: String?
        if let dash = rest.firstIndex(of: "-") {
            let suffix = rest[rest.index(after: dash)...]
            guard !suffix.isEmpty, suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") })
            else { return nil }
            preRelease = String(suffix)
            rest = rest[..<dash]
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 9, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  !(part.count > 1 && part.first == "0"), let number = Int(part) else { return nil }
            numbers.append(number)
        }
        self.init(major: numbers[0], minor: numbers[1], patch: numbers[2], preRelease: preRelease)
    }

    /// `vMAJOR.MINOR`, e.g. `v1.13`.
    public var minorRelease: String { "v\(major).\(minor)" }

    /// With the leading `v`, as Talos and Kubernetes write their versions.
    public var description: String {
        "v\(major).\(minor).\(patch)" + (preRelease.map { "-\($0)" } ?? "")
    }
}
