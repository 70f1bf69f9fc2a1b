import ClusterSpec
import HomeportCore
import Manifests

/// `config.derived-drift`: hand-written files that carry values of the cluster definition (the
/// FluxInstance's Git sync, the NAS runbook's marked section) hold the definition's values.
struct DerivedDriftRule: Rule {
    static let description = RuleDescription(
        id: "config.derived-drift",
        summary: "The FluxInstance's spec.sync and the marked section of synology/exports.md hold what config/clusters/NAME.yaml says.",
        rationale: "Contract 4: the cluster definition is the single source of truth. Flux syncing another repository, branch or path than the definition names, or a NAS allowlist for another network, breaks the cluster silently. `homeport cluster sync` (which `homeport init` runs) rewrites those values in place; a difference means the definition changed without it, or someone edited a derived value.",
        contractSections: ["4"],
        nonTriggeringExamples: [
            RuleExample("FluxInstance sync and NAS runbook in step with the definition", files: [
                ClusterExamples.definitionPath: ClusterExamples.definition,
                ClusterExamples.fluxInstancePath: ClusterExamples.fluxInstance,
                ClusterExamples.nasExportsPath: ClusterExamples.nasExports,
            ]),
            RuleExample("a repository without a FluxInstance or NAS runbook", files: [
                ClusterExamples.definitionPath: ClusterExamples.definition,
            ]),
        ],
        triggeringExamples: [
            RuleExample("the FluxInstance syncs the template's repository", files: [
                ClusterExamples.definitionPath: ClusterExamples.definition,
                ClusterExamples.fluxInstancePath: ClusterExamples.fluxInstance.replacingOccurrences(
                    of: "    url: ssh://git@github.com/me/homelab.git", with: "↓    url: ssh://git@github.com/OWNER/homelab.git"),
            ]),
            RuleExample("the definition moved to another branch", files: [
                ClusterExamples.definitionPath: ClusterExamples.definition(replacing: "branch: main", with: "branch: live"),
                ClusterExamples.fluxInstancePath: ClusterExamples.fluxInstance.replacingOccurrences(
                    of: "    ref: refs/heads/main", with: "↓    ref: refs/heads/main"),
            ]),
            RuleExample("the NAS allowlist names the old network", files: [
                ClusterExamples.definitionPath: ClusterExamples.definition,
                ClusterExamples.nasExportsPath: ClusterExamples.nasExports.replacingOccurrences(
                    of: "| NFS clients (`network.nodeCIDR`) | `10.0.0.0/24` |", with: "↓| NFS clients (`network.nodeCIDR`) | `192.168.1.0/24` |"),
            ]),
            RuleExample("the NAS runbook lost its markers", files: [
                ClusterExamples.definitionPath: ClusterExamples.definition,
                ClusterExamples.nasExportsPath: "↓# NAS exports\n\nAllow 10.0.0.0/24.\n",
            ]),
        ]
    )

    /// The derived files this rule owns; the env file and cluster-settings are config.env-drift's.
    static let files: [DerivedFile] = [.fluxSync, .nasExports]

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for loaded in context.clusters {
            guard loaded.isValid, let definition = loaded.definition else { continue }
            for file in Self.files {
                let path = file.path(for: definition)
                guard let current = context.snapshot.file(path)?.text else { continue }
                do {
                    guard let expected = try file.expected(definition, definitionPath: loaded.path, current: current),
                          let line = EnvFile.firstDifference(expected: expected, actual: current) else { continue }
                    let state = ClusterWorkspace.EnvState.drifted(line: line, expected: EnvFile.line(line, of: expected))
                    let message = ClusterWorkspace.driftMessage(state, envPath: path, definitionPath: loaded.path, file: file) ?? ""
                    findings.append(finding(message, at: path, line: line))
                } catch let error as HomeportError {
                    findings.append(finding("\(error.message) (\(loaded.path) derives it)", at: error.location?.path ?? path,
                                            line: error.location?.line ?? 1))
                } catch {
                    findings.append(finding("\(error)", at: path, line: 1))
                }
            }
        }
        return findings
    }
}
