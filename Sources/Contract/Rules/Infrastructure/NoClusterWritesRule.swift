import HomeportCore
import Manifests

/// `infra.no-cluster-writes`: infrastructure scripts read config/, they never write cluster/.
struct NoClusterWritesRule: Rule {
    static let description = RuleDescription(
        id: "infra.no-cluster-writes",
        summary: "Shell scripts under infrastructure/ never write into cluster/ (redirections, tee, cp/mv/install/rsync/ln, rm/mkdir/touch, in-place edits with sed/perl/yq/sops, curl/wget downloads) and never run kubectl apply.",
        rationale: "Contract 3: scripts in infrastructure/ work in the Proxmox context; they may read config/ but never manage the manifests in cluster/, which only change through commits that Flux reconciles.",
        contractSections: ["3"],
        nonTriggeringExamples: [
            RuleExample("a Proxmox script that reads config and writes its own files", files: [
                "infrastructure/proxmox/create_vms.sh": """
                    #!/usr/bin/env bash
                    set -euo pipefail
                    ROOT="$(git rev-parse --show-toplevel)"
                    source "$ROOT/config/env/prox-n100.env"
                    grep -i talos "$ROOT/cluster/talos/schematic.yaml" > /tmp/schematic.txt
                    cp "$ROOT/cluster/talos/schematic.yaml" /tmp/schematic.yaml
                    qm create 214 --name talos-cp-1 --memory 4096 2>&1 | tee -a logs/proxmox.log
                    echo "written to config/clusters/" >&2

                    """,
            ]),
        ],
        triggeringExamples: [
            RuleExample("a bootstrap script editing the cluster tree", files: [
                "infrastructure/proxmox/cluster_bootstrap.sh": """
                    #!/bin/bash
                    ROOT=$(git rev-parse --show-toplevel)
                    OUT="$ROOT/cluster/kubernetes/flux"
                    talosctl gen config prox-n100 https://192.168.1.210:6443 ↓> cluster/talos/controlplane.yaml
                    envsubst < templates/settings.yaml | ↓tee "$OUT/cluster-settings.yaml"
                    ↓cp templates/ingress.yaml ./cluster/kubernetes/platform/ingress/
                    ↓sed -i "s/VIP/$VIP/" "${ROOT}/cluster/kubernetes/platform/dns/values.yaml"
                    ↓kubectl apply -f /tmp/flux-instance.yaml

                    """,
            ]),
        ]
    )

    /// Commands whose every path argument is written to.
    static let writingCommands: Set<String> = ["rm", "mkdir", "touch", "truncate", "tee", "chmod", "chown"]
    /// Commands that write to their last argument (or to `-t DIR`).
    static let copyingCommands: Set<String> = ["cp", "mv", "install", "rsync", "ln"]
    /// Commands that edit files in place when given `-i`/`--in-place`.
    static let inPlaceEditors: Set<String> = ["sed", "perl", "yq", "sops", "gawk", "ruby"]

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for (file, script) in ShellScript.scripts(under: ContractPaths.infrastructure, in: context.snapshot) {
            var variables: [String: String] = [:]
            for command in script.commands {
                findings += check(command, variables: variables, in: file.path)
                Self.recordAssignments(command, into: &variables)
            }
        }
        return findings
    }

    private func check(_ command: ShellScript.Command, variables: [String: String], in path: String) -> [Finding] {
        var findings: [Finding] = []
        let intoCluster = { (word: ShellScript.Word) in Self.pointsIntoCluster(Self.expand(word.text, variables)) }
        for redirection in command.redirections where redirection.operatorText.contains(">") && !redirection.operatorText.hasSuffix("&") {
            if intoCluster(redirection.target) {
                findings.append(finding("this redirection writes into cluster/; infrastructure scripts never change manifests (commit them, and let Flux apply them)", at: path, line: redirection.target.line))
            }
        }
        let invocation = command.invocation
        guard let program = invocation.first else { return findings }
        let arguments = Array(invocation.dropFirst())
        let operands = arguments.filter { !$0.text.hasPrefix("-") }
        var target: ShellScript.Word?
        switch program.text {
        case let name where Self.writingCommands.contains(name):
            target = operands.first(where: intoCluster)
        case let name where Self.copyingCommands.contains(name):
            if let index = arguments.firstIndex(where: { $0.text == "-t" || $0.text == "--target-directory" }), index + 1 < arguments.count {
                target = intoCluster(arguments[index + 1]) ? arguments[index + 1] : nil
            } else if let option = arguments.first(where: { $0.text.hasPrefix("--target-directory=") }) {
                target = intoCluster(ShellScript.Word(text: String(option.text.dropFirst("--target-directory=".count)), line: option.line)) ? option : nil
            } else if operands.count >= 2, let last = operands.last, intoCluster(last) {
                target = last
            }
        case let name where Self.inPlaceEditors.contains(name):
            if arguments.contains(where: Self.isInPlaceOption) { target = operands.first(where: intoCluster) }
        case "curl", "wget":
            if let index = arguments.firstIndex(where: { ["-o", "--output", "-O", "--output-document"].contains($0.text) }),
               index + 1 < arguments.count, intoCluster(arguments[index + 1]) {
                target = arguments[index + 1]
            }
        case "kubectl":
            if let verb = ShellScript.subcommand(of: arguments[...], optionsWithValues: DelegateRule.kubectlOptionsWithValues), verb.text == "apply" {
                findings.append(finding("'kubectl apply' from infrastructure/ manages the cluster outside Git; commit the manifests under cluster/kubernetes and let Flux apply them", at: path, line: program.line))
            }
        default:
            break
        }
        if let target {
            findings.append(finding("'\(program.text)' writes into cluster/ (\(target.text)); infrastructure scripts may read config/ but never change manifests", at: path, line: target.line))
        }
        return findings
    }

    /// `-i`, `-i.bak`, `-pi`, `--in-place`, `--inplace`.
    private static func isInPlaceOption(_ word: ShellScript.Word) -> Bool {
        let text = word.text
        if text.hasPrefix("--") { return text.hasPrefix("--in-place") || text.hasPrefix("--inplace") }
        return text.hasPrefix("-") && text.dropFirst().prefix(while: { $0.isLetter }).contains("i")
    }

    /// `NAME=value`, also after `export`, `local`, `readonly` or `declare`.
    static func recordAssignments(_ command: ShellScript.Command, into variables: inout [String: String]) {
        let words = command.words.drop { ["export", "local", "readonly", "declare", "typeset"].contains($0.text) || $0.text.hasPrefix("-") }
        guard words.allSatisfy({ ShellScript.isAssignment($0.text) }) || command.words.first.map({ ["export", "local", "readonly", "declare"].contains($0.text) }) == true else { return }
        for word in words where ShellScript.isAssignment(word.text) {
            guard let equals = word.text.firstIndex(of: "=") else { continue }
            let value = String(word.text[word.text.index(after: equals)...])
            // `ROOT=$(…)` reads as an empty word before the substitution: keep `$ROOT` as is,
            // which already counts as "some root folder".
            if value.isEmpty { continue }
            variables[String(word.text[..<equals])] = expand(value, variables)
        }
    }

    /// Replaces `$NAME` and `${NAME}` by what the script assigned to NAME earlier.
    static func expand(_ text: String, _ variables: [String: String]) -> String {
        guard text.contains("$"), !variables.isEmpty else { return text }
        var result = text
        for (name, value) in variables {
            result = result.replacingOccurrences(of: "${\(name)}", with: value)
            if let range = result.range(of: "$\(name)") {
                let continuesName = result[range.upperBound...].first.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
                if !continuesName { result.replaceSubrange(range, with: value) }
            }
        }
        return result
    }

    /// True for a path into the repository's cluster/ folder: `cluster/…`, `./cluster/…`,
    /// `../cluster/…` or `$ROOT/cluster/…` (a variable or command substitution for the root).
    static func pointsIntoCluster(_ path: String) -> Bool {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let index = components.firstIndex(of: "cluster") else { return false }
        return components[..<index].allSatisfy { $0 == "." || $0 == ".." || $0.hasPrefix("$") || $0.contains("$(") }
    }
}
