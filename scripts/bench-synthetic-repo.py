#!/usr/bin/env python3
"""Writes a synthetic Flux repository for scripts/bench.sh: SCALE x 94 apps, each one Flux
Kustomization, one kustomize directory, a HelmRelease, an OCIRepository and a Deployment with its
Service,
so scale 1 is about the size of the real-world corpus (~470 files, ~100 kustomize directories)
and every file is reachable from the Flux entry point (time per file is comparable across scales).

    python3 scripts/bench-synthetic-repo.py OUTPUT_DIR SCALE
"""
import os
import sys

APPS_PER_SCALE = 94


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as handle:
        handle.write(text)


def app_files(name):
    namespace = "apps"
    return {
        f"kubernetes/apps/{name}/ks.yaml": f"""---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: {name}
  namespace: flux-system
spec:
  interval: 1h
  path: ./kubernetes/apps/{name}/app
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  targetNamespace: {namespace}
  postBuild:
    substitute:
      APP: {name}
""",
        f"kubernetes/apps/{name}/app/kustomization.yaml": """---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./ocirepository.yaml
  - ./helmrelease.yaml
  - ./workload.yaml
""",
        f"kubernetes/apps/{name}/app/ocirepository.yaml": f"""---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: {name}
spec:
  interval: 15m
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
    tag: 4.1.2
  url: oci://ghcr.io/bjw-s-labs/helm/app-template
""",
        f"kubernetes/apps/{name}/app/helmrelease.yaml": f"""---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: {name}
spec:
  interval: 30m
  chartRef:
    kind: OCIRepository
    name: {name}
  install:
    remediation:
      retries: 3
  values:
    controllers:
      {name}:
        containers:
          app:
            image:
              repository: ghcr.io/example/${{APP}}
              tag: 1.2.3
""",
        f"kubernetes/apps/{name}/app/workload.yaml": f"""---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}-sidecar
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
        - name: app
          image: ghcr.io/example/sidecar:1.0.0
          ports:
            - containerPort: 8080
              name: http
          resources:
            requests:
              cpu: 10m
              memory: 32Mi
            limits:
              memory: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
    - name: http
      port: 80
      targetPort: http
""",
    }


def main():
    root, scale = sys.argv[1], int(sys.argv[2])
    names = [f"app-{index:05d}" for index in range(APPS_PER_SCALE * scale)]
    write(root, "kubernetes/flux/cluster/ks.yaml", """---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  interval: 1h
  path: ./kubernetes/apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
""")
    write(root, "kubernetes/apps/kustomization.yaml", "---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
          + "".join(f"  - ./{name}/ks.yaml\n" for name in names))
    for name in names:
        for path, text in app_files(name).items():
            write(root, path, text)


if __name__ == "__main__":
    main()
