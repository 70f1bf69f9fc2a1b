/// Which Kubernetes versions a Talos release can run. Each Talos minor release ships a default
/// Kubernetes minor and supports it and the five minors before it. Kept as data: a new Talos
/// release is one new line.
public enum TalosSupport {
    /// Talos `v1.MINOR` → its default Kubernetes `1.MINOR`.
    public static let defaultKubernetesMinor: [SemanticVersion.MinorRelease: SemanticVersion.MinorRelease] = [
        .init(major: 1, minor: 11): .init(major: 1, minor: 34),
        .init(major: 1, minor: 12): .init(major: 1, minor: 35),
        .init(major: 1, minor: 13): .init(major: 1, minor: 36),
        .init(major: 1, minor: 14): .init(major: 1, minor: 37),
    ]

    /// How many Kubernetes minors before the default a Talos release still supports.
    public static let olderMinorsSupported = 5

    /// The Kubernetes minors `talos` supports, oldest first; nil when the release is not in the table.
    public static func supportedKubernetesMinors(talos: SemanticVersion) -> [SemanticVersion.MinorRelease]? {
        guard let latest = defaultKubernetesMinor[talos.minorReleaseValue] else { return nil }
        return (0...olderMinorsSupported).reversed().compactMap { offset in
            latest.minor - offset >= 0 ? SemanticVersion.MinorRelease(major: latest.major, minor: latest.minor - offset) : nil
        }
    }

    /// Why homeport cannot vouch for a Talos release, or nil when it is in the table.
    public static func releaseProblem(_ talos: SemanticVersion) -> String? {
        guard defaultKubernetesMinor[talos.minorReleaseValue] == nil else { return nil }
        let known = defaultKubernetesMinor.keys.sorted().map(\.description).joined(separator: ", ")
        return "Talos \(talos.minorRelease) is not a release homeport knows (it knows \(known)); pick one of those"
    }

    /// Why the pair is not supported, or nil when it is.
    public static func problem(talos: SemanticVersion, kubernetes: SemanticVersion) -> String? {
        if let problem = releaseProblem(talos) { return problem }
        guard let supported = supportedKubernetesMinors(talos: talos), let oldest = supported.first, let newest = supported.last else {
            return nil
        }
        guard supported.contains(kubernetes.minorReleaseValue) else {
            return "Kubernetes \(kubernetes) is not supported by Talos \(talos.minorRelease), which runs Kubernetes \(oldest) to \(newest)"
        }
        return nil
    }
}

extension SemanticVersion {
    /// A `MAJOR.MINOR` pair, the unit release support is decided in.
    public struct MinorRelease: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var major: Int
        public var minor: Int

        public init(major: Int, minor: Int) {
            self.major = major
            self.minor = minor
        }

        public static func < (lhs: MinorRelease, rhs: MinorRelease) -> Bool {
            (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
        }

        public var description: String { "v\(major).\(minor)" }
    }

    /// The version's `MAJOR.MINOR`.
    public var minorReleaseValue: MinorRelease { MinorRelease(major: major, minor: minor) }
}
