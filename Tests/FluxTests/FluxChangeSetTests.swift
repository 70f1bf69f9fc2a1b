@testable import Flux
import Foundation
import Manifests
import Testing
import TestSupport

/// `homeport flux diff`: what changes, object by object, as field paths with old and new values.
@Suite struct FluxChangeSetTests {
    static func files(image: String, replicas: Int, password: String, extra: Bool) -> [String: String] {
        var files = [
            "flux/apps.yaml": FluxTreeTests.ks("apps", path: "./apps"),
            "flux/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [apps.yaml]\n",
            "apps/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [web.yaml, secret.yaml\(extra ? ", extra.yaml" : "")]\n",
            "apps/web.yaml": """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: demo}
                spec:
                  replicas: \(replicas)
                  template:
                    spec:
                      containers:
                        - name: sidecar
                          image: busybox:1.37
                        - name: web
                          image: \(image)
                          env:
                            - {name: MODE, value: prod}
                """,
            "apps/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: demo}\nstringData:\n  password: \(password)\n",
        ]
        if extra { files["apps/extra.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: demo}\ndata: {a: b}\n" }
        return files
    }

    @Test func fieldsImagesAndObjectsThatChange() {
        let old = FluxTreeTests.tree(Self.files(image: "nginx:1.27", replicas: 1, password: "old-secret-value", extra: false))
        let new = FluxTreeTests.tree(Self.files(image: "nginx:1.29", replicas: 2, password: "new-secret-value", extra: true))
        let changes = FluxChangeSet(old: old, new: new)
        let web = changes.objects.first { $0.name == "web" }
        #expect(web?.change == .modified)
        #expect(web?.fields == [
            .init(path: "spec.replicas", old: "1", new: "2"),
            .init(path: "spec.template.spec.containers[web].image", old: "nginx:1.27", new: "nginx:1.29"),
        ], "containers are matched by name, unchanged ones are not listed")
        #expect(changes.objects.first { $0.name == "extra" }?.change == .added)
        #expect(changes.images == [.init(object: "Deployment demo/web", old: "nginx:1.27", new: "nginx:1.29")])
        let secret = changes.objects.first { $0.name == "db" }
        #expect(secret?.fields == [.init(path: "stringData.password", old: "(hidden)", new: "(hidden)")])

        for format in FluxChangeSet.Format.allCases {
            let text = changes.render(format, base: "origin/main")
            #expect(!text.contains("secret-value"), "a Secret's value never appears (\(format))")
            #expect(text.contains("spec.template.spec.containers[web].image"))
            #expect(text.contains("nginx:1.29"))
        }
        #expect(changes.render(.github, base: "origin/main").contains("<details>"))
        #expect(!changes.render(.markdown, base: "origin/main").contains("<details>"))
        #expect(changes.render(.markdown, base: "origin/main").contains("| Deployment demo/web | `nginx:1.27` | `nginx:1.29` |"))
    }

    @Test func identicalTreesHaveNoChanges() {
        let files = Self.files(image: "nginx:1.27", replicas: 1, password: "x", extra: false)
        let changes = FluxChangeSet(old: FluxTreeTests.tree(files), new: FluxTreeTests.tree(files))
        #expect(changes.isEmpty)
        #expect(changes.render(.text, base: "HEAD") == "no changes\n")
    }
}
