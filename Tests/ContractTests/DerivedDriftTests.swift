import Contract
import Foundation
import HomeportCore
import TestSupport
import Testing

/// `config.derived-drift` and `config.env-drift` on copies of this repository: a changed
/// definition is caught in every derived file, and a Renovate bump of the Talos and
/// Kubernetes versions is not drift.
struct DerivedDriftTests {
    static let driftRules: Set<String> = ["config.cluster", "config.env-drift", "config.derived-drift"]

    /// The definition, its env file, the Flux entrypoint and the NAS runbook of this repository.
    static func referenceCopy() throws -> TemporaryRepo {
        let repo = try TemporaryRepo()
        for folder in ["config", "cluster/kubernetes/flux", "synology"] {
            try repo.copy(from: SharedData.packageRoot + "/" + folder, to: folder)
        }
        return repo
    }

    static let definitionPath = "config/clusters/prox-n100.yaml"

    private func findings(_ repo: TemporaryRepo) throws -> [String] {
        try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: Self.driftRules)).findings
            .map { "\($0.ruleID) \($0.location.path):\($0.location.line ?? 0)" }.sorted()
    }

    private func editDefinition(_ repo: TemporaryRepo, _ pairs: [(String, String)]) throws {
        var text = try #require(repo.read(Self.definitionPath))
        for (old, new) in pairs {
            #expect(text.contains(old), "the reference definition has no \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try repo.write(Self.definitionPath, text)
    }

    private func line(of needle: String, in path: String, _ repo: TemporaryRepo) -> Int {
        (repo.read(path) ?? "").split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }.map { $0 + 1 } ?? -1
    }

    @Test func thisRepositoryHasNoDerivedDrift() throws {
        let report = try CheckRunner.run(CheckOptions(repoRoot: SharedData.packageRoot, only: Self.driftRules))
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.location.description): \($0.message)" })")
    }

    @Test func aNewGitURLAndNetworkAreDriftInEveryFileThatCarriesThem() throws {
        let repo = try Self.referenceCopy()
        try editDefinition(repo, [
            ("repository: ssh://git@github.com/OWNER/homelab.git", "repository: ssh://git@github.com/you/homelab.git"),
            ("nodeCIDR: 192.168.1.0/24", "nodeCIDR: 192.168.0.0/23"),
        ])
        let flux = "cluster/kubernetes/flux/flux-instance.yaml"
        let expected = [
            "config.derived-drift \(flux):\(line(of: "url: ssh://git@github.com/OWNER/homelab.git", in: flux, repo))",
            "config.derived-drift synology/exports.md:\(line(of: "| NFS clients", in: "synology/exports.md", repo))",
            "config.env-drift cluster/kubernetes/flux/cluster-settings.yaml:\(line(of: "NODE_CIDR", in: "cluster/kubernetes/flux/cluster-settings.yaml", repo))",
            "config.env-drift config/env/prox-n100.env:\(line(of: "NODE_CIDR", in: "config/env/prox-n100.env", repo))",
        ].sorted()
        #expect(try findings(repo) == expected)

        let message = try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: ["config.derived-drift"])).findings.first?.message ?? ""
        #expect(message.contains("homeport cluster sync"), "\(message)")
        #expect(message.contains("you/homelab.git"), "the message shows the expected line: \(message)")
    }

    @Test func aTalosAndKubernetesBumpIsNotDrift() throws {
        let repo = try Self.referenceCopy()
        // What Renovate's custom managers in renovate.json5 rewrite: the two version lines.
        // Whatever versions the reference pins today, each goes up by one patch release.
        let text = try #require(repo.read(Self.definitionPath))
        func bump(_ key: String) throws -> (String, String) {
            let match = try #require(text.firstMatch(of: try Regex("\\n  \(key): v(\\d+)\\.(\\d+)\\.(\\d+)\\n")))
            let parts = (1...3).map { String(match.output[$0].substring ?? "") }
            let patch = (Int(parts[2]) ?? 0) + 1
            return ("  \(key): v\(parts[0]).\(parts[1]).\(parts[2])\n", "  \(key): v\(parts[0]).\(parts[1]).\(patch)\n")
        }
        try editDefinition(repo, [try bump("version"), try bump("kubernetesVersion")])
        #expect(try findings(repo).isEmpty, "a version bump must not turn the pull request red for drift")

        // The rules did run on this copy: a value the files do carry is reported.
        try editDefinition(repo, [("branch: main", "branch: live")])
        #expect(try findings(repo).count == 3, "env file, cluster-settings and the FluxInstance carry the branch")
    }
}
