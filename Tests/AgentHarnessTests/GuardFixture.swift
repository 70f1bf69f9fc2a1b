import Foundation
import TestSupport
@testable import AgentHarness

/// A small repository laid out like the contract, with symbolic links that try to escape the
/// writable layers, local secret material and a `.git` folder. Made once per test run.
enum GuardFixture {
    static let root: String = {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-guard-\(UUID().uuidString)").path
        let files: [String: String] = [
            "docs/repo-contract.md": (try? String(contentsOfFile: SharedData.packageRoot + "/docs/repo-contract.md", encoding: .utf8)) ?? "# contract\n",
            "docs/architecture.md": "# architecture\n",
            "cluster/kubernetes/apps/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - demo\n",
            "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
            "cluster/talos/patch.yaml": "machine:\n  install:\n    disk: /dev/sda\n",
            "config/clusters/prox.yaml": "name: prox\nnodes:\n  - name: cp-1\n    memoryMiB: 4096\n",
            "infrastructure/proxmox/README.md": "# proxmox\n",
            "ai/tasks.md": "# tasks\n",
            "scripts/run.sh": "#!/bin/sh\n",
            "AGENTS.md": "# agents\n",
            "README.md": "# readme\n",
            ".talos/prox/secrets.yaml": "cluster:\n  id: local-only\n",
            ".git/HEAD": "ref: refs/heads/main\n",
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: base + "/" + path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? Data(text.utf8).write(to: url)
        }
        let links = [
            ("cluster/kubernetes/escape", "../../docs"),
            ("config/link.yaml", "../README.md"),
            ("cluster/kubernetes/apps/dangling.yaml", "../../../ai/new.md"),
            ("config/outside", "/etc"),
        ]
        for (link, target) in links {
            try? FileManager.default.createSymbolicLink(atPath: base + "/" + link, withDestinationPath: target)
        }
        return base
    }()

    /// A value that looks like an age identity, assembled at run time so no source file
    /// holds one.
    static let ageIdentity = "AGE-SECRET-" + "KEY-1" + String(repeating: "QX7", count: 19) + "Q"
    /// The body of ``privateKeyBlock``, split so no source line looks like key material.
    static let privateKeyBody = "b3BlbnNzaC1" + "rZXktdjEAAAAA"
    static let privateKeyBlock = "-----BEGIN OPENSSH " + "PRIVATE KEY-----\n" + privateKeyBody + "\n-----END OPENSSH " + "PRIVATE KEY-----\n"

    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
