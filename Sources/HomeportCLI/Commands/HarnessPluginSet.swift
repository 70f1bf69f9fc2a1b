import AgentHarness

/// The capabilities other modules lend the harness's MCP tools. Each module plugs in here
/// when it exists (Flux rendering, app scaffolding, SOPS encryption).
enum HarnessPluginSet {
    static var available: HarnessPlugins {
        HarnessPlugins()
    }
}
