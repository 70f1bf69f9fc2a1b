import Foundation
/// A small valid cluster definition and its env file, the base of the `config.*` rule examples.
enum ClusterExamples {
    static let definitionPath = "config/clusters/lab.yaml"
    static let envPath = "config/env/lab.env"
    /// A file in the Flux path the example definition names.
    static let fluxEntrypoint = "cluster/kubernetes/flux/kustomization.yaml"
    static let fluxKustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n"

    static let definition = """
    name: lab
    domain: lab.example.com
    proxmox:
      endpoint: https://10.0.0.2:8006
      node: pve
      tokenID: homeport@pve!homeport
      storage: local-lvm
      imageStorage: local
      bridge: vmbr0
    network:
      nodeCIDR: 10.0.0.0/24
      gateway: 10.0.0.1
      dnsServers: [10.0.0.1]
      controlPlaneVIP: 10.0.0.10
      podCIDR: 10.244.0.0/16
      serviceCIDR: 10.96.0.0/12
    talos:
      version: v1.13.9
      kubernetesVersion: v1.36.3
      installDisk: /dev/sda
    nodes:
      - {name: cp-1, role: controlplane, address: 10.0.0.11, vmid: 111, cores: 2, memoryMiB: 4096, diskGiB: 40, mac: "BC:24:11:00:00:11"}
    flux:
      repository: ssh://git@github.com/me/homelab.git
      branch: main
      path: cluster/kubernetes/flux

    """

    /// What `homeport cluster env` derives from ``definition``.
    static let env = """
    # generated from config/clusters/lab.yaml by `homeport cluster env --write`; do not edit

    # cluster
    CLUSTER_NAME=lab
    CLUSTER_DOMAIN=lab.example.com
    CTRL_IP=10.0.0.11
    CTRL_IPS=10.0.0.11
    CONTROL_PLANE_VIP=10.0.0.10
    CONTROL_PLANE_ENDPOINT=https://10.0.0.10:6443
    WORKER_IPS=

    # network
    NODE_CIDR=10.0.0.0/24
    GATEWAY=10.0.0.1
    DNS_SERVERS=10.0.0.1
    POD_CIDR=10.244.0.0/16
    SERVICE_CIDR=10.96.0.0/12
    LB_POOL=

    # proxmox (the token secret is not here: PROXMOX_TOKEN_SECRET or proxmox.tokenSecretFile)
    PROXMOX_ENDPOINT=https://10.0.0.2:8006
    PROXMOX_NODE=pve
    PROXMOX_TOKEN_ID='homeport@pve!homeport'
    PROXMOX_STORAGE=local-lvm
    PROXMOX_IMAGE_STORAGE=local
    PROXMOX_BRIDGE=vmbr0

    # flux
    FLUX_REPO_URL=ssh://git@github.com/me/homelab.git
    FLUX_BRANCH=main
    FLUX_PATH=cluster/kubernetes/flux

    # nfs
    NFS_SERVER=
    NFS_PATH=
    NFS_VERSION=

    """

    /// A repository with a definition at `path` and the Flux folder it names.
    static func repo(_ definition: String, at path: String = definitionPath) -> [String: String] {
        [path: definition, fluxEntrypoint: fluxKustomization]
    }

    /// ``definition`` with one piece of text replaced (the replacement may carry a `↓` marker).
    static func definition(replacing original: String, with replacement: String) -> String {
        precondition(definition.contains(original), "example text '\(original)' is not in the example definition")
        return definition.replacingOccurrences(of: original, with: replacement)
    }

    /// ``env`` with one piece of text replaced.
    static func env(replacing original: String, with replacement: String) -> String {
        precondition(env.contains(original), "example text '\(original)' is not in the example env file")
        return env.replacingOccurrences(of: original, with: replacement)
    }

    /// The cluster-settings ConfigMap the example definition derives.
    static let settingsPath = "cluster/kubernetes/flux/cluster-settings.yaml"
    static let settings = """
    # generated from config/clusters/lab.yaml by `homeport cluster settings --write`; do not edit
    # Flux substitutes these values into manifests (postBuild.substituteFrom: cluster-settings).
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cluster-settings
      namespace: flux-system
    data:
      CLUSTER_NAME: "lab"

    """
}

extension ClusterExamples {
    /// A FluxInstance whose sync follows ``definition``.
    static let fluxInstancePath = "cluster/kubernetes/flux/flux-instance.yaml"
    static let fluxInstance = """
    apiVersion: fluxcd.controlplane.io/v1
    kind: FluxInstance
    metadata:
      name: flux
      namespace: flux-system
    spec:
      distribution:
        version: "2.7.3"
        registry: ghcr.io/fluxcd
      sync:
        kind: GitRepository
        # The repository of the cluster definition's flux: section.
        url: ssh://git@github.com/me/homelab.git
        ref: refs/heads/main
        path: cluster/kubernetes/flux

    """

    /// A NAS runbook whose marked section follows ``definition`` (which has no `nfs:`).
    static let nasExportsPath = "synology/exports.md"
    static let nasExports = """
    # NAS exports

    <!-- homeport:derived:begin: generated from config/clusters/lab.yaml by `homeport cluster sync`; do not edit -->
    | from the cluster definition | value |
    |---|---|
    | NAS address (`nfs.server`) | not set (no `nfs:` in the cluster definition) |
    | export of the `k8s` folder (`nfs.path`) | not set (no `nfs:` in the cluster definition) |
    | NFS clients (`network.nodeCIDR`) | `10.0.0.0/24` |
    | node addresses (`nodes`) | `10.0.0.11` (cp-1) |
    | protocol (`nfs.version`) | the NAS's default |
    | client mount options (`nfs.mountOptions`) | not set (no `nfs:` in the cluster definition) |
    <!-- homeport:derived:end -->

    Allow the NFS clients above to mount the export.

    """
}
