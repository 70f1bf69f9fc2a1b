import HomeportCore

/// A Helm chart published as an OCI artifact, pinned to one version: what
/// `--chart oci://REGISTRY/PATH --version V` asks for.
public struct OCIChart: Sendable, Equatable {
    /// The artifact URL, `oci://host/path/chart`.
    public var url: String
    /// The tag to pin, e.g. `1.9.0` or `v1.21.1`.
    public var version: String

    /// Checks both values: an `oci://` URL with a host and a path, and a version that names one
    /// release (no `latest`, no ranges or wildcards, repo contract 1.2).
    public init(url: String, version: String) throws {
        guard url.hasPrefix("oci://") else {
            throw HomeportError.usage("--chart must be an OCI reference (oci://registry/path/chart), got '\(url)'")
        }
        let rest = url.dropFirst("oci://".count).split(separator: "/", omittingEmptySubsequences: false)
        guard rest.count >= 2, rest.allSatisfy({ !$0.isEmpty }), !url.contains(" "), !url.contains("@") else {
            throw HomeportError.usage("--chart '\(url)' needs a registry and a chart path, e.g. oci://ghcr.io/org/charts/name")
        }
        guard let lastSegment = rest.last, !lastSegment.contains(":") else {
            throw HomeportError.usage("--chart '\(url)' must not carry a tag; give the version with --version")
        }
        try OCIChart.checkPinned(version)
        self.url = url
        self.version = version
    }

    /// Throws unless `version` names exactly one release.
    static func checkPinned(_ version: String) throws {
        let floating = "*^~<>=|, "
        let components = version.split(separator: ".")
        if version.isEmpty || version.lowercased() == "latest" || version.contains(where: { floating.contains($0) })
            || components.contains(where: { $0 == "x" || $0 == "X" }) {
            throw HomeportError.usage("--version '\(version)' floats; give one exact version (repo contract 1.2: what Flux installs is pinned)")
        }
    }
}

/// The name rules Kubernetes applies to namespaces (RFC 1123 labels), which app folders,
/// concern folders and component names follow too.
public enum ResourceName {
    /// Throws a usage error unless `name` is a valid RFC 1123 label.
    public static func validate(_ name: String, what: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        guard !name.isEmpty, name.count <= 63, name.allSatisfy({ allowed.contains($0) }),
              name.first?.isLetter == true, name.last != "-" else {
            throw HomeportError.usage("\(what) '\(name)' is not a valid name: lowercase letters, digits and '-', starting with a letter, at most 63 characters")
        }
    }
}
