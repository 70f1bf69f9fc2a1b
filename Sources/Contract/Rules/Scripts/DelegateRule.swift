import HomeportCore
import Manifests

/// `scripts.delegate`: scripts orchestrate; Flux and Talos apply.
struct DelegateRule: Rule {
    static let kubectlWrites: Set<String> = ["apply", "create", "replace", "patch", "edit", "delete"]
    static let helmWrites: Set<String> = ["install", "upgrade"]
    static let kubectlOptionsWithValues: Set<String> = [
        "-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server", "--token",
        "--as", "--as-group", "--request-timeout", "--certificate-authority", "--client-certificate", "--client-key",
        "--tls-server-name", "--cache-dir",
    ]
    static let helmOptionsWithValues: Set<String> = ["-n", "--namespace", "--kube-context", "--kubeconfig", "--kube-apiserver", "--kube-token", "--registry-config", "--repository-config"]

    static let description = RuleDescription(
        id: "scripts.delegate",
        summary: "Shell scripts under scripts/ neither embed Kubernetes manifests (here-documents or strings with apiVersion: and kind:) nor run kubectl apply/create/replace/patch/edit/delete or helm install/upgrade.",
        rationale: "Contract 5 and 1.2: scripts orchestrate other tools; when something must reach the cluster they hand it to Flux (through Git) or a documented Talos workflow, so no state lives only in a script's side effects.",
        contractSections: ["5", "1.2"],
        nonTriggeringExamples: [
            RuleExample("a wrapper that calls homeport and reads the cluster", files: [
                "scripts/check_cluster.sh": """
                    #!/usr/bin/env bash
                    # Reports health; never runs kubectl apply (Flux does that).
                    set -euo pipefail
                    source config/env/prox-n100.env
                    kubectl --context "$CLUSTER_NAME" get kustomizations -A
                    kubectl -n flux-system describe helmrelease apps | grep -i ready
                    kubectl create secret generic demo --from-literal=a=b --dry-run=client -o yaml > /tmp/demo.yaml
                    helm template demo oci://ghcr.io/example/demo --version 1.2.3 | kubeconform -strict
                    exec homeport status --cluster "$CLUSTER_NAME"

                    """,
                "scripts/README.md": "Never `kubectl apply` from here.\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("applying and installing from a script", files: [
                "scripts/bootstrap_cluster.sh": """
                    #!/bin/bash
                    set -e
                    ↓kubectl apply -k cluster/kubernetes/flux
                    kustomize build cluster/kubernetes/apps | ↓kubectl --context home apply -f -
                    homeport check && ↓helm upgrade --install cilium cilium/cilium -n kube-system; echo done
                    for ns in a b; do ↓sudo kubectl delete ns "$ns"; done
                    out=$(↓kubectl patch deploy demo -p '{"spec":{"replicas":1}}')
                    # kubectl apply -f old.yaml (a comment, not a command)

                    """,
            ]),
            RuleExample("a manifest in a here-document", files: [
                "scripts/host_bootstrap.sh": """
                    #!/bin/sh
                    ↓cat <<'EOF' > /tmp/ns.yaml
                    apiVersion: v1
                    kind: Namespace
                    metadata:
                      name: demo
                    EOF
                    ↓printf 'apiVersion: v1\\nkind: ConfigMap\\n' > /tmp/cm.yaml

                    """,
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for (file, script) in ShellScript.scripts(under: ContractPaths.scripts, in: context.snapshot) {
            for command in script.commands {
                findings += check(command, in: file.path)
            }
        }
        return findings
    }

    private func check(_ command: ShellScript.Command, in path: String) -> [Finding] {
        var findings: [Finding] = []
        for document in command.hereDocuments where Self.looksLikeManifest(document.bodyLines.map(\.text)) {
            findings.append(finding("this here-document is a Kubernetes manifest; put it in cluster/kubernetes and let Flux apply it instead of embedding it in a script", at: path, line: document.line))
        }
        if let word = command.words.first(where: { Self.looksLikeManifest($0.text.split(separator: "\n").map(String.init) + $0.text.components(separatedBy: "\\n")) }) {
            findings.append(finding("this command embeds a Kubernetes manifest; put it in cluster/kubernetes and let Flux apply it", at: path, line: word.line))
        }
        let invocation = command.invocation
        guard let program = invocation.first else { return findings }
        let arguments = invocation.dropFirst()
        switch program.text {
        case "kubectl":
            guard let verb = ShellScript.subcommand(of: arguments, optionsWithValues: Self.kubectlOptionsWithValues),
                  Self.kubectlWrites.contains(verb.text), !isDryRun(arguments) else { break }
            findings.append(finding("'kubectl \(verb.text)' changes the cluster outside Git; commit the change under cluster/kubernetes and let Flux reconcile it (or call a homeport command)", at: path, line: program.line))
        case "helm":
            guard let verb = ShellScript.subcommand(of: arguments, optionsWithValues: Self.helmOptionsWithValues),
                  Self.helmWrites.contains(verb.text), !isDryRun(arguments) else { break }
            findings.append(finding("'helm \(verb.text)' installs outside Git; declare a HelmRelease under cluster/kubernetes and let Flux reconcile it", at: path, line: program.line))
        default:
            break
        }
        return findings
    }

    /// `--dry-run` (other than `--dry-run=none`) only prints what would change.
    private func isDryRun(_ arguments: ArraySlice<ShellScript.Word>) -> Bool {
        arguments.contains { $0.text == "--dry-run" || ($0.text.hasPrefix("--dry-run=") && $0.text != "--dry-run=none") }
    }

    /// A line starting with `apiVersion:` and one starting with `kind:`.
    static func looksLikeManifest(_ lines: [String]) -> Bool {
        var hasAPIVersion = false
        var hasKind = false
        for line in lines {
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "-" }
            if trimmed.hasPrefix("apiVersion:") { hasAPIVersion = true }
            if trimmed.hasPrefix("kind:") { hasKind = true }
        }
        return hasAPIVersion && hasKind
    }
}
