/// Who a Kubernetes object is: the fields that make it unique in a cluster.
public struct ObjectIdentity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var namespace: String?

    public init(apiVersion: String, kind: String, name: String, namespace: String?) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }

    /// The API group, empty for the core group (`v1`).
    public var group: String {
        guard let slash = apiVersion.lastIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    public var description: String {
        "\(kind) \(namespace.map { "\($0)/" } ?? "")\(name)"
    }

    public static func < (lhs: ObjectIdentity, rhs: ObjectIdentity) -> Bool {
        (lhs.group, lhs.kind, lhs.namespace ?? "", lhs.name) < (rhs.group, rhs.kind, rhs.namespace ?? "", rhs.name)
    }
}

/// One YAML document of a repository file, with its position in the file.
public struct ManifestDocument: Sendable {
    /// Path of the file relative to the repository root.
    public var path: String
    /// 0-based index of the document within its file.
    public var index: Int
    public var root: YAMLNode

    public init(path: String, index: Int, root: YAMLNode) {
        self.path = path
        self.index = index
        self.root = root
    }

    /// `apiVersion` when it is a string.
    public var apiVersion: String? { root["apiVersion"]?.string }
    /// `kind` when it is a string.
    public var kind: String? { root["kind"]?.string }
    /// `metadata.name` when it is a string.
    public var name: String? { root[path: "metadata.name"]?.string }
    /// `metadata.namespace` when it is a string.
    public var namespace: String? { root[path: "metadata.namespace"]?.string }

    /// True when the document looks like a Kubernetes object (it has `apiVersion` and `kind`).
    public var isKubernetesObject: Bool { apiVersion != nil && kind != nil }

    /// The identity, when apiVersion, kind and name are all present.
    public var identity: ObjectIdentity? {
        guard let apiVersion, let kind, let name else { return nil }
        return ObjectIdentity(apiVersion: apiVersion, kind: kind, name: name, namespace: namespace)
    }

    /// True when the document carries SOPS metadata (a top-level `sops` mapping).
    public var isSOPSEncrypted: Bool { root["sops"]?.mapping != nil }
}
