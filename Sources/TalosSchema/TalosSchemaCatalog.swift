import HomeportCore

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

    /// Schemas parsed so far: each is parsed on first use (about 50 KB of JSON each), so a
    /// check of a v1.14 repository whose patches are clean never parses the older ones.
    private static let parsed = Locked<[TalosRelease: TalosConfigSchema]>([:])

    /// The schema of a release, or nil when homeport ships none for it. The generated sources
    /// are valid JSON (a test parses every one), so a parse failure is a build defect.
    public static func schema(for release: TalosRelease) -> TalosConfigSchema? {
        if let cached = parsed.value[release] { return cached }
        guard let json = sources[release] else { return nil }
        let schema: TalosConfigSchema
        do {
            schema = try TalosConfigSchema(release: release, json: json)
        } catch {
            preconditionFailure("the shipped Talos \(release) schema does not parse: \(error)")
        }
        parsed.withLock { $0[release] = schema }
        return schema
    }

    /// The shipped schemas of the releases before `release`, newest first: where a field the
    /// release no longer has is looked up to tell "moved" from "never existed".
    public static func schemas(before release: TalosRelease) -> [TalosConfigSchema] {
        releases.filter { $0 < release }.reversed().compactMap { schema(for: $0) }
    }
}
