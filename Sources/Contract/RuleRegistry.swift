/// Every rule `homeport check` runs, in catalogue order. A rule that is not listed here does
/// not run and has no tests, so adding a rule means adding one line.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        TopLevelRule.self,
        PlatformConcernRule.self,
        AppFolderRule.self,
        OnlyTalosRule.self,
        PatchSchemaRule.self,
        ParseRule.self,
        IdempotentRule.self,
        PureRule.self,
        PlatformNamespacesRule.self,
        AppNamespaceRule.self,
        NoClusterScopedRule.self,
        ClusterDefinitionRule.self,
        EnvDriftRule.self,
        DerivedDriftRule.self,
        ConfigNoSecretsRule.self,
        TalosInlineSecretsRule.self,
        SOPSEncryptedRule.self,
        PlaintextRule.self,
        SOPSConfigRule.self,
        AlongsideRule.self,
        DelegateRule.self,
        NoClusterWritesRule.self,
        SynologyNoManifestsRule.self,
        LogsNoSourceRule.self,
        DocsPresentRule.self,
        LayoutDriftRule.self,
        AIPresentRule.self,
        AgentConfigDriftRule.self,
        SchemaRule.self,
        FluxReachableRule.self,
        FluxReferencesRule.self,
        FluxSubstitutionRule.self,
        FluxDecryptionRule.self,
        FluxPinnedRule.self,
        FluxDuplicatesRule.self,
        UnreadFilesRule.self,
        AppBackupRule.self,
        ReplicationSourceClaimRule.self,
        AlertSecretsRule.self,
    ]

    /// The rule with an id.
    public static func rule(id: String) -> (any Rule.Type)? {
        all.first { $0.description.id == id }
    }
}
