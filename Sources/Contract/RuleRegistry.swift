/// Every rule `homeport check` runs, in catalogue order. A rule that is not listed here does
/// not run and has no tests, so adding a rule means adding one line.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        ParseRule.self,
        ClusterDefinitionRule.self,
        EnvDriftRule.self,
        ConfigNoSecretsRule.self,
    ]

    /// The rule with an id.
    public static func rule(id: String) -> (any Rule.Type)? {
        all.first { $0.description.id == id }
    }
}
