/// Known mistakes in upstream schemas, kept as data so each one is visible and goes away when
/// upstream fixes it (Tests/TalosTests check every entry still disagrees with the raw schema).
public enum SchemaErrata {
    /// Document kinds whose schema `kind` enum differs from what talosctl writes and Talos
    /// decodes. v1.14.0-rc.1: `runtime.UnattendedInstallConfigV1Alpha1` lists
    /// `UnattendedInstall`, while its own description, talosctl's golden files and the Go
    /// type say `UnattendedInstallConfig`.
    public static let kindAliases: [TalosRelease: [String: String]] = [
        TalosRelease(1, 14): ["UnattendedInstall": "UnattendedInstallConfig"],
    ]

    /// The kind Talos writes for a kind the schema lists.
    public static func documentKind(forSchemaKind kind: String, release: TalosRelease) -> String {
        kindAliases[release]?[kind] ?? kind
    }

    /// The kind the schema lists for a kind Talos writes.
    public static func schemaKind(forDocumentKind kind: String, release: TalosRelease) -> String {
        kindAliases[release]?.first { $0.value == kind }?.key ?? kind
    }
}
