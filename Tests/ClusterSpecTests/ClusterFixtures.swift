import ClusterSpec
import Foundation
import Manifests
import TestSupport

/// Cluster definition texts for the tests, and a marker helper: `↓` in a text marks where an
/// issue must point.
enum ClusterFixtures {
    static let path = "config/clusters/lab.yaml"

    /// A valid definition written in block style, so every value has its own line.
    static let valid = """
    name: lab
    domain: lab.example.com
    proxmox:
      endpoint: https://10.0.0.2:8006
      node: pve
      tokenID: homeport@pve!homeport
      tokenSecretFile: infrastructure/proxmox/token.sops.yaml
      storage: local-lvm
      imageStorage: local
      bridge: vmbr0
    network:
      nodeCIDR: 10.0.0.0/24
      gateway: 10.0.0.1
      dnsServers: [10.0.0.1, 1.1.1.1]
      controlPlaneVIP: 10.0.0.10
      podCIDR: 10.244.0.0/16
      serviceCIDR: 10.96.0.0/12
      loadBalancerPool: 10.0.0.220-10.0.0.229
      dhcpRange: 10.0.0.100-10.0.0.199
    talos:
      version: v1.13.9
      kubernetesVersion: v1.36.3
      extensions: [siderolabs/qemu-guest-agent]
      installDisk: /dev/sda
    nodes:
      - name: cp-1
        role: controlplane
        address: 10.0.0.11
        vmid: 111
        cores: 2
        memoryMiB: 4096
        diskGiB: 40
        mac: "BC:24:11:00:00:11"
      - name: w-1
        role: worker
        address: 10.0.0.21
        vmid: 121
        cores: 1
        memoryMiB: 2048
        diskGiB: 40
        mac: "BC:24:11:00:00:21"
    flux:
      repository: ssh://git@github.com/me/homelab.git
      branch: main
      path: cluster/kubernetes/flux
    nfs:
      server: 10.0.0.5
      path: /volume1/k8s
      version: "4.1"
      mountOptions: [nfsvers=4.1, hard]

    """

    /// ``valid`` with replacements applied in order; each original must occur exactly once.
    static func variant(_ replacements: [(String, String)]) -> String {
        var text = valid
        for (original, replacement) in replacements {
            let occurrences = text.components(separatedBy: original).count - 1
            precondition(occurrences == 1, "'\(original)' occurs \(occurrences) times in the fixture")
            text = text.replacingOccurrences(of: original, with: replacement)
        }
        return text
    }

    /// The reference definition of the repository itself.
    static var referenceText: String? {
        try? String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)
    }

    static func load(_ text: String, path: String = path) -> LoadedClusterDefinition {
        ClusterDefinitionLoader.load(text: text, path: path)
    }
}

/// A text with `↓` markers, and where they point.
struct MarkedText {
    let text: String
    let marks: [Mark]

    init(_ marked: String) {
        var clean = ""
        var marks: [Mark] = []
        var line = 1
        var column = 1
        for character in marked {
            if character == "↓" {
                marks.append(Mark(line: line, column: column))
                continue
            }
            clean.append(character)
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        self.text = clean
        self.marks = marks
    }
}
