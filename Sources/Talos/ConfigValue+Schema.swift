import TalosSchema

extension ConfigValue {
    /// The value as the schema validator sees it.
    public var schemaValue: SchemaValue {
        switch self {
        case .string(let text): .string(text)
        case .int(let number): .int(number)
        case .bool(let flag): .bool(flag)
        case .null: .null
        case .mapping(let entries): .object(entries.map { (key: $0.key, value: $0.value.schemaValue) })
        case .sequence(let items): .array(items.map(\.schemaValue))
        }
    }
}

extension TalosContract {
    /// The release whose schema describes this contract's documents.
    public var release: TalosRelease { TalosRelease(major, minor) }

    /// The shipped schema of the contract's release (every supported contract has one).
    public var schema: TalosConfigSchema? { TalosSchemaCatalog.schema(for: release) }
}

extension ClusterConfigRenderer {
    /// Every way the documents break the schema of the cluster's release, as
    /// `KIND path: problem` lines (`v1alpha1` for the config document).
    public func schemaViolations(_ documents: [ConfigValue]) throws -> [String] {
        guard let schema = try input.contract.schema else { return [] }
        return documents.flatMap { document in
            let name = document["kind"]?.stringValue ?? "v1alpha1"
            return schema.validate(document: document.schemaValue).map { "\(name) \($0)" }
        }
    }
}
