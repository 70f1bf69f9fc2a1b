import ClusterSpec
import HomeportCore
import Manifests

/// `config.env-drift`: config/env/NAME.env is exactly what config/clusters/NAME.yaml derives.
struct EnvDriftRule: Rule {
    static let description = RuleDescription(
        id: "config.env-drift",
        summary: "config/env/NAME.env equals what config/clusters/NAME.yaml derives, and every env file has a cluster definition.",
        rationale: "Contract 4: env files are for scripts and tooling and must reflect config/clusters/*.yaml. They are generated (`homeport cluster env --write`), so a difference means the definition changed without regenerating, or someone edited a generated file.",
        contractSections: ["4"],
        nonTriggeringExamples: [
            RuleExample("env file in step with the definition", files: [
                ClusterExamples.definitionPath: ClusterExamples.definition,
                ClusterExamples.envPath: ClusterExamples.env,
            ]),
            RuleExample("an invalid definition is config.cluster's to report", files: [
                ClusterExamples.definitionPath: ClusterExamples.definition(replacing: "gateway: 10.0.0.1", with: "gateway: 10.0.1.1"),
                ClusterExamples.envPath: ClusterExamples.env,
            ]),
        ],
        triggeringExamples: [
            RuleExample("the definition changed, the env file did not", files: [
                ClusterExamples.definitionPath: ClusterExamples.definition(replacing: "controlPlaneVIP: 10.0.0.10", with: "controlPlaneVIP: 10.0.0.20"),
                ClusterExamples.envPath: ClusterExamples.env(replacing: "CONTROL_PLANE_VIP=", with: "↓CONTROL_PLANE_VIP="),
            ]),
            RuleExample("no env file", files: [
                ClusterExamples.definitionPath: ClusterExamples.definition(replacing: "name: lab", with: "↓name: lab"),
            ]),
            RuleExample("an env file without a definition", files: [
                "config/env/old.env": "CLUSTER_NAME=old\n",
            ], expectedPaths: ["config/env/old.env"]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for loaded in context.clusters {
            guard loaded.isValid, let definition = loaded.definition else { continue }
            let expected = EnvFile.render(definition, definitionPath: loaded.path)
            let envPath = EnvFile.path(forCluster: loaded.clusterName)
            guard let envFile = context.snapshot.file(envPath) else {
                let message = ClusterWorkspace.driftMessage(.missing, envPath: envPath, definitionPath: loaded.path) ?? ""
                findings.append(finding(message, at: loaded.path, mark: definition.marks.key("name")))
                continue
            }
            guard let actual = envFile.text else {
                findings.append(finding("\(envPath) is not UTF-8 text; run `homeport cluster env --write` to regenerate it", at: envPath))
                continue
            }
            guard let line = EnvFile.firstDifference(expected: expected, actual: actual) else { continue }
            let state = ClusterWorkspace.EnvState.drifted(line: line, expected: EnvFile.line(line, of: expected))
            let message = ClusterWorkspace.driftMessage(state, envPath: envPath, definitionPath: loaded.path) ?? ""
            findings.append(finding(message, at: envPath, line: line))
        }
        let clusterNames = Set(context.snapshot.filesDirectly(in: ClusterDefinitionLoader.folder).filter(\.isYAML).map {
            ClusterDefinitionLoader.baseName(of: $0.path)
        })
        for envFile in context.snapshot.filesDirectly(in: EnvFile.folder) where envFile.fileExtension == "env" {
            let name = String(envFile.name.dropLast(".env".count))
            guard !clusterNames.contains(name) else { continue }
            findings.append(finding(
                "\(envFile.path) has no cluster definition (\(ClusterDefinitionLoader.folder)/\(name).yaml) to derive from; remove it or add the definition",
                at: envFile.path))
        }
        return findings
    }
}
