/// The text of the manifests a scaffold writes. They follow the repository's own conventions
/// (see `apps/demo-game/` and `platform/*/`): pinned versions, requests and limits on every
/// workload, Pod Security labels on every namespace, `${CLUSTER_DOMAIN}` from
/// `cluster-settings`.
enum ManifestTemplates {
    /// The placeholder image of a raw-manifest scaffold: unprivileged nginx, pinned, as
    /// `apps/demo-game` uses it.
    static let placeholderImage = "docker.io/nginxinc/nginx-unprivileged:1.29.3-alpine"

    static func namespace(_ name: String, partOf: String, concern: String?, enforce: String) -> String {
        let concernLabel = concern.map { "\n    homeport.dev/concern: \($0)" } ?? ""
        return """
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: \(name)
          labels:
            app.kubernetes.io/part-of: \(partOf)\(concernLabel)
            pod-security.kubernetes.io/enforce: \(enforce)
            pod-security.kubernetes.io/audit: restricted
            pod-security.kubernetes.io/warn: restricted

        """
    }

    static func kustomization(namespace: String?, resources: [String], comment: String) -> String {
        let namespaceLine = namespace.map { "namespace: \($0)\n" } ?? ""
        return """
        ---
        # \(comment)
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        \(namespaceLine)resources:
        \(resources.map { "  - \($0)" }.joined(separator: "\n"))

        """
    }

    /// A Deployment and its Service running the placeholder image, restricted-compatible.
    static func rawWorkload(name: String, namespace: String) -> String {
        """
        ---
        # Placeholder workload: replace the image (keep it pinned) and size the resources
        # (docs/capacity.md). Runs as non-root with a read-only root filesystem.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          namespace: \(namespace)
          labels:
            app.kubernetes.io/name: \(name)
        spec:
          replicas: 1
          revisionHistoryLimit: 3
          selector:
            matchLabels:
              app.kubernetes.io/name: \(name)
          template:
            metadata:
              labels:
                app.kubernetes.io/name: \(name)
            spec:
              automountServiceAccountToken: false
              securityContext:
                runAsNonRoot: true
                runAsUser: 101
                runAsGroup: 101
                fsGroup: 101
                seccompProfile:
                  type: RuntimeDefault
              containers:
                - name: app
                  image: \(placeholderImage)
                  ports:
                    - name: http
                      containerPort: 8080
                      protocol: TCP
                  readinessProbe:
                    httpGet:
                      path: /
                      port: http
                  livenessProbe:
                    httpGet:
                      path: /
                      port: http
                  resources:
                    requests:
                      cpu: 10m
                      memory: 32Mi
                    limits:
                      cpu: 100m
                      memory: 64Mi
                  securityContext:
                    allowPrivilegeEscalation: false
                    readOnlyRootFilesystem: true
                    capabilities:
                      drop: ["ALL"]
                  volumeMounts:
                    - name: tmp
                      mountPath: /tmp
              volumes:
                - name: tmp
                  emptyDir:
                    sizeLimit: 16Mi
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
          namespace: \(namespace)
          labels:
            app.kubernetes.io/name: \(name)
        spec:
          type: ClusterIP
          selector:
            app.kubernetes.io/name: \(name)
          ports:
            - name: http
              port: 80
              targetPort: http
              protocol: TCP

        """
    }

    /// The chart's OCIRepository and a HelmRelease using it through `chartRef`, in one file.
    static func ociChart(name: String, namespace: String, chart: OCIChart) -> String {
        ociRepository(name: name, namespace: namespace, chart: chart) + helmRelease(name: name, namespace: namespace)
    }

    /// The chart source, pinned to one tag.
    static func ociRepository(name: String, namespace: String, chart: OCIChart) -> String {
        """
        ---
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: OCIRepository
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          interval: 12h
          url: \(chart.url)
          ref:
            tag: "\(chart.version)"
          layerSelector:
            mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
            operation: copy

        """
    }

    /// A HelmRelease installing the OCIRepository of the same name.
    static func helmRelease(name: String, namespace: String) -> String {
        """
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          interval: 1h
          chartRef:
            kind: OCIRepository
            name: \(name)
          install:
            remediation:
              retries: 3
          upgrade:
            cleanupOnFail: true
            remediation:
              retries: 3
          values:
            # Give every workload of the chart requests and limits under the keys the chart
            # uses (docs/capacity.md); `resources` is the most common one.
            resources:
              requests:
                cpu: 10m
                memory: 64Mi
              limits:
                cpu: 500m
                memory: 256Mi

        """
    }

    static func httpRoute(name: String, namespace: String, service: String, port: Int, note: String) -> String {
        """
        ---
        # https://\(name).<domain> on the LAN (Gateway `internal`). Add the `external` Gateway
        # to publish it on the internet. \(note)
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          parentRefs:
            - name: internal
              namespace: ingress
              sectionName: https
          hostnames:
            - \(name).${CLUSTER_DOMAIN}
          rules:
            - backendRefs:
                - name: \(service)
                  port: \(port)

        """
    }

    /// One Flux Kustomization in the style of `cluster/kubernetes/flux/*.yaml`.
    static func fluxKustomization(name: String, path: String, dependsOn: [String], comment: String) -> String {
        let depends = dependsOn.isEmpty ? "" : "  dependsOn:\n" + dependsOn.map { "    - name: \($0)\n" }.joined()
        return """
        ---
        # \(comment)
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: \(name)
          namespace: flux-system
        spec:
        \(depends)  interval: 1h
          retryInterval: 2m
          timeout: 10m
          path: ./\(path)
          prune: true
          wait: true
          sourceRef:
            kind: GitRepository
            name: flux-system
          decryption:
            provider: sops
            secretRef:
              name: sops-age
          postBuild:
            substituteFrom:
              - kind: ConfigMap
                name: cluster-settings

        """
    }
}
