/// Every tool of the harness, in listing order. A tool that needs a plugin is listed only
/// when the plugin is there; adding a tool means adding one line.
public enum HarnessToolbox {
    public static let all: [any HarnessTool] = [
        ContractGetTool(),
        RulesExplainTool(),
        CheckTool(),
        ClusterViewTool(),
        TaskListTool(),
        TaskGetTool(),
        FluxTreeTool(),
        FluxBuildTool(),
        WriteFileTool(),
        NewAppTool(),
        SecretsEncryptTool(),
        ClusterStatusTool(),
        FluxDiffTool(),
        ProxmoxPlanTool(),
        TalosPlanTool(),
        UpDryRunTool(),
    ]

    /// The tools a role gets; in the `--read-only` role only read-only ones, operations included.
    public static func tools(for context: ToolContext, from tools: [any HarnessTool] = all) -> [any HarnessTool] {
        tools.filter { $0.isServed(in: context) }
    }
}
