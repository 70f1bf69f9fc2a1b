import Flux
import HomeportCore
import Manifests

/// `flux.pinned`: chart versions, OCI tags, images and the FluxInstance version are pinned.
struct FluxPinnedRule: Rule {
    static let description = RuleDescription(
        id: "flux.pinned",
        summary: "Chart versions, OCIRepository refs, container images and the FluxInstance version are pinned (no latest, no ranges); the FluxInstance version carries a renovate comment.",
        rationale: "Contract 1.2: what runs must be what Git says; floating versions change the cluster without a commit, and Renovate needs a comment where it cannot infer the source.",
        contractSections: ["1.2"],
        nonTriggeringExamples: [
            RuleExample("pinned everything", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- sources.yaml\n",
                "cluster/kubernetes/flux/sources.yaml": """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata:
                  name: app
                  namespace: flux-system
                spec:
                  url: oci://ghcr.io/org/charts/app
                  ref:
                    tag: 1.2.3
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: web
                  namespace: flux-system
                spec:
                  chart:
                    spec:
                      chart: web
                      version: 4.5.6
                      sourceRef:
                        kind: HelmRepository
                        name: charts
                ---
                apiVersion: fluxcd.controlplane.io/v1
                kind: FluxInstance
                metadata:
                  name: flux
                  namespace: flux-system
                spec:
                  distribution:
                    # renovate: datasource=github-releases depName=fluxcd/flux2
                    version: "2.7.3"
                """,
            ]),
        ],
        triggeringExamples: [
            RuleExample("floating versions", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- sources.yaml\n",
                "cluster/kubernetes/flux/sources.yaml": """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata:
                  name: app
                  namespace: flux-system
                spec:
                  url: oci://ghcr.io/org/charts/app
                  ref:
                    ↓tag: latest
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: web
                  namespace: flux-system
                spec:
                  chart:
                    spec:
                      chart: web
                      ↓version: ">=4.0.0"
                      sourceRef:
                        kind: HelmRepository
                        name: charts
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: flux-system
                spec:
                  template:
                    spec:
                      containers:
                        - name: web
                          ↓image: nginx
                ---
                apiVersion: fluxcd.controlplane.io/v1
                kind: FluxInstance
                metadata:
                  name: flux
                  namespace: flux-system
                spec:
                  distribution:
                    ↓version: "2.x"
                """,
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        guard let flux = context.flux else { return [] }
        var findings: [Finding] = []
        for (_, object) in flux.tree.renderedObjects {
            switch (object.group, object.kind) {
            case ("helm.toolkit.fluxcd.io", "HelmRelease"):
                guard let chart = object.node[path: "spec.chart.spec"] else { continue }
                if let version = chart["version"]?.string {
                    if !Self.isExactVersion(version) {
                        findings.append(finding("HelmRelease \(object.name) chart version '\(version)' is a range; pin an exact version",
                                                at: object.sourcePath, mark: chart.keyMark("version")))
                    }
                } else if (chart[path: "sourceRef.kind"]?.string ?? "HelmRepository") == "HelmRepository" {
                    // Charts from Git or a bucket have no version to pin: the source revision pins them.
                    findings.append(finding("HelmRelease \(object.name) has no chart version, so Flux installs the latest; pin spec.chart.spec.version",
                                            at: object.sourcePath, mark: object.node[path: "spec.chart"].flatMap { _ in object.node["spec"]?.keyMark("chart") }))
                }
            case ("source.toolkit.fluxcd.io", "OCIRepository"):
                let ref = object.node[path: "spec.ref"]
                if let tag = ref?["tag"]?.string, tag == "latest", ref?["digest"] == nil {
                    findings.append(finding("OCIRepository \(object.name) follows the 'latest' tag; pin a version tag or a digest", at: object.sourcePath, mark: ref?.keyMark("tag")))
                } else if let semver = ref?["semver"]?.string, !Self.isExactVersion(semver), ref?["digest"] == nil {
                    findings.append(finding("OCIRepository \(object.name) follows the range '\(semver)'; pin a version tag or a digest", at: object.sourcePath, mark: ref?.keyMark("semver")))
                } else if ref == nil || (ref?["tag"] == nil && ref?["digest"] == nil && ref?["semver"] == nil) {
                    findings.append(finding("OCIRepository \(object.name) has no ref, so it follows 'latest'; set spec.ref.tag or spec.ref.digest", at: object.sourcePath, mark: object.node["spec"]?.keyMark("url")))
                }
            case ("fluxcd.controlplane.io", "FluxInstance"):
                let distribution = object.node[path: "spec.distribution"]
                guard let version = distribution?["version"]?.string else { continue }
                let mark = distribution?.keyMark("version")
                if !Self.isExactVersion(version) {
                    findings.append(finding("FluxInstance \(object.name) distribution version '\(version)' floats; pin an exact Flux version", at: object.sourcePath, mark: mark))
                } else if let line = mark?.line, !Self.hasRenovateComment(context.snapshot.file(object.sourcePath), above: line) {
                    findings.append(finding("FluxInstance \(object.name) version has no '# renovate: datasource=github-releases depName=fluxcd/flux2' comment above it; Renovate cannot update it otherwise", at: object.sourcePath, mark: mark))
                }
            default:
                break
            }
            findings += images(object)
        }
        return findings
    }

    /// Images of containers that float (no tag, or `latest`, and no digest).
    func images(_ object: RenderedObject) -> [Finding] {
        var findings: [Finding] = []
        func visit(_ node: YAMLNode) {
            switch node {
            case .mapping(let mapping):
                for entry in mapping.entries {
                    let key = entry.key.scalar?.value
                    if key == "containers" || key == "initContainers", let items = entry.value.sequence?.items {
                        for container in items {
                            guard let image = container["image"]?.string, Self.isFloating(image) else { continue }
                            findings.append(finding("image '\(image)' of \(object.kind) \(object.name) is not pinned; use a version tag (and ideally a digest)",
                                                    at: object.sourcePath, mark: container.keyMark("image")))
                        }
                    }
                    visit(entry.value)
                }
            case .sequence(let sequence):
                sequence.items.forEach(visit)
            case .scalar:
                break
            }
        }
        if object.kind != "HelmRelease" { visit(object.node) }
        return findings
    }

    static func isFloating(_ image: String) -> Bool {
        if image.contains("@sha256:") { return false }
        if image.contains("${") { return false }
        // A policy engine's pattern (Kyverno's `!*:latest`) describes images; it is not one.
        if image.contains(where: { "*?!|()".contains($0) }) { return false }
        let lastPart = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastPart.lastIndex(of: ":") else { return true }
        return lastPart[lastPart.index(after: colon)...] == "latest"
    }

    /// `1.2.3`, `v1.2.3`, `1.2.3-rc.1`: no ranges, wildcards or `latest`.
    static func isExactVersion(_ version: String) -> Bool {
        var body = Substring(version)
        if body.first == "v" { body = body.dropFirst() }
        let core = body.split(separator: "-", maxSplits: 1).first.map { $0.split(separator: "+").first ?? $0 } ?? ""
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.count <= 4 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    static func hasRenovateComment(_ file: RepoFile?, above line: Int) -> Bool {
        guard let lines = file?.lines else { return true }
        for candidate in [line - 1, line - 2] where candidate >= 1 && candidate <= lines.count {
            if lines[candidate - 1].contains("renovate:") { return true }
        }
        return line >= 1 && line <= lines.count && lines[line - 1].contains("renovate:")
    }
}
