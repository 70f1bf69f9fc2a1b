/// The schema sources, one generated file per release (scripts/gen_talos_schemas.py).
enum TalosSchemaData {}

/// The Talos machine-config schemas homeport ships, parsed once on first use.
public enum TalosSchemaCatalog {
    /// Releases with a schema, oldest first.
    public static let releases: [TalosRelease] = sources.keys.sorted()

    static let sources: [TalosRelease: String] = [
        TalosRelease(1, 11): TalosSchemaData.v1_11, TalosRelease(1, 12): TalosSchemaData.v1_12,
        TalosRelease(1, 13): TalosSchemaData.v1_13, TalosRelease(1, 14): TalosSchemaData.v1_14,
    ]

    /// Parsed schemas; the generated sources are valid JSON (a test parses every one), so a
    /// failure here is a build defect, not user input.
    private static let parsed: [TalosRelease: TalosConfigSchema] = {
        var result: [TalosRelease: TalosConfigSchema] = [:]
        for (release, json) in sources {
            do {
                result[release] = try TalosConfigSchema(release: release, json: json)
            } catch {
                preconditionFailure("the shipped Talos \(release) schema does not parse: \(error)")
            }
        }
        return result
    }()

    /// The schema of a release, or nil when homeport ships none for it.
    public static func schema(for release: TalosRelease) -> TalosConfigSchema? {
        parsed[release]
    }

    /// The shipped schemas of the releases before `release`, newest first: where a field the
    /// release no longer has is looked up to tell "moved" from "never existed".
    public static func schemas(before release: TalosRelease) -> [TalosConfigSchema] {
        releases.filter { $0 < release }.reversed().compactMap { parsed[$0] }
    }
}
