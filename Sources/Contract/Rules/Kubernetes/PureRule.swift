import HomeportCore
import Manifests

/// `k8s.pure`: cluster/kubernetes holds Kubernetes, not scripts or host logic.
struct PureRule: Rule {
    static let scriptExtensions: Set<String> = ["sh", "bash", "zsh", "ksh", "fish", "py", "rb", "pl", "ps1"]
    /// Proxmox VE command-line tools: host logic when a line runs one.
    static let proxmoxCommands: Set<String> = ["qm", "pct", "pvesh", "pvesm", "pveam", "pvecm", "pveum", "pvenode", "vzdump", "pve-firewall"]

    static let description = RuleDescription(
        id: "k8s.pure",
        summary: "cluster/kubernetes/ holds no scripts (by extension, shebang or executable bit) and no host or Proxmox commands (qm, pct, pvesh, …); files a kustomization turns into a ConfigMap or Secret are pod data, not scripts.",
        rationale: "Contract 2.1: cluster/kubernetes is pure Kubernetes, what Flux applies. Host and Proxmox work belongs in infrastructure/, glue in scripts/.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("manifests, notes, and a script packed into a ConfigMap", files: [
                "cluster/kubernetes/apps/demo/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: demo\nresources:\n  - namespace.yaml\nconfigMapGenerator:\n  - name: demo-entrypoint\n    files:\n      - entrypoint.sh\n",
                "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
                "cluster/kubernetes/apps/demo/entrypoint.sh": "#!/bin/sh\nexec nginx -g 'daemon off;'\n",
                "cluster/kubernetes/apps/demo/README.md": "# demo\n\nThe VM is created with `qm create` elsewhere: see infrastructure/proxmox.\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a shell script beside the manifests", files: [
                "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
                "cluster/kubernetes/apps/demo/install.sh": "↓#!/bin/bash\nkustomize build . | kubectl apply -f -\n",
                "cluster/kubernetes/platform/storage/setup.py": "import subprocess\n",
            ], expectedPaths: ["cluster/kubernetes/platform/storage/setup.py"]),
            RuleExample("Proxmox commands in a notes file", files: [
                "cluster/kubernetes/platform/storage/README.md": "# storage\n\nBefore the NFS provisioner works, attach the disk:\n\n```sh\n↓qm set 214 --scsi1 local-lvm:64\n↓$ sudo pvesh get /nodes/pve/storage\n```\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        let files = context.snapshot.files(under: ContractPaths.kubernetes)
        let podData = podDataFiles(files)
        var findings: [Finding] = []
        for file in files {
            if file.isExecutable {
                findings.append(finding("\(file.name) is executable; manifests are data, so clear the executable bit (git update-index --chmod=-x) and move any script to scripts/ or infrastructure/", at: file.path))
            } else if !podData.contains(file.path), !file.isYAML {
                if file.firstLine?.hasPrefix("#!") == true {
                    findings.append(finding("\(file.name) is a script (it starts with a shebang); cluster/kubernetes holds only what Flux applies, so move it to scripts/ or infrastructure/", at: file.path, line: 1))
                } else if Self.scriptExtensions.contains(file.fileExtension) {
                    findings.append(finding("\(file.name) is a script; cluster/kubernetes holds only what Flux applies, so move it to scripts/ or infrastructure/", at: file.path))
                }
            }
            if !file.isYAML {
                findings += hostCommands(in: file)
            }
        }
        return findings
    }

    /// Lines that run a Proxmox tool: the first word (after a `$ ` prompt or `sudo`) is one.
    private func hostCommands(in file: RepoFile) -> [Finding] {
        guard let text = file.text, Self.proxmoxCommands.contains(where: { text.contains($0) }) else { return [] }
        var findings: [Finding] = []
        for (index, line) in file.lines.enumerated() {
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
            while let first = words.first, first == "$" || first == "#" || first == "sudo" || first == ">" { words = words.dropFirst() }
            guard let command = words.first, Self.proxmoxCommands.contains(String(command)) else { continue }
            findings.append(finding("'\(command)' is a Proxmox host command; host and VM logic belongs in infrastructure/proxmox, not in the tree Flux applies", at: file.path, line: index + 1))
        }
        return findings
    }

    /// Files that a kustomization in the same folder packs into a ConfigMap or Secret.
    private func podDataFiles(_ files: [RepoFile]) -> Set<String> {
        var paths: Set<String> = []
        for file in files where file.isKustomization {
            guard let document = file.documents.first else { continue }
            for name in IdempotentRule.nonResourceFiles(document) {
                paths.insert(file.directory + "/" + name)
            }
        }
        return paths
    }
}
