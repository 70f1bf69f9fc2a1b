import Foundation
import Kustomize
import Manifests

/// Renders a ``FluxTree`` as text, JSON or a Mermaid graph.
public enum FluxTreeFormat {
    public static func text(_ tree: FluxTree) -> String {
        var lines: [String] = ["Flux entrypoint: \(tree.entrypoint)"]
        func visit(_ reference: FluxReference?, depth: Int) {
            for kustomization in tree.kustomizations where kustomization.parent == reference {
                let indent = String(repeating: "  ", count: depth)
                var line = "\(indent)\(kustomization.reference.namespace)/\(kustomization.reference.name)  \(kustomization.path)  (\(kustomization.objects.count) objects)"
                if !kustomization.isLocal { line += "  [external source \(kustomization.sourceRef?.description ?? "")]" }
                if !kustomization.dependsOn.isEmpty {
                    line += "  dependsOn: " + kustomization.dependsOn.map { "\($0.reference.namespace)/\($0.reference.name)" }.joined(separator: ", ")
                }
                lines.append(line)
                for problem in kustomization.errors where problem.kind != .externalSource {
                    lines.append("\(indent)  ! \(problem.location.path)\(problem.location.line.map { ":\($0)" } ?? ""): \(problem.message)")
                }
                visit(kustomization.reference, depth: depth + 1)
            }
        }
        visit(nil, depth: 0)
        for problem in tree.problems {
            lines.append("! \(problem.location.path)\(problem.location.line.map { ":\($0)" } ?? ""): \(problem.message)")
        }
        for notice in tree.notices { lines.append("note: \(notice)") }
        return lines.joined(separator: "\n") + "\n"
    }

    struct Entry: Encodable {
        var name: String
        var namespace: String
        var path: String
        var parent: String?
        var source: String?
        var dependsOn: [String]
        var objects: Int
        var errors: [String]
    }

    public static func json(_ tree: FluxTree) -> String {
        let entries = tree.kustomizations.map { kustomization in
            Entry(name: kustomization.reference.name, namespace: kustomization.reference.namespace, path: kustomization.path,
                  parent: kustomization.parent.map { "\($0.namespace)/\($0.name)" },
                  source: kustomization.sourceRef.map { "\($0.kind)/\($0.namespace)/\($0.name)" },
                  dependsOn: kustomization.dependsOn.map { "\($0.reference.namespace)/\($0.reference.name)" },
                  objects: kustomization.objects.count,
                  errors: kustomization.errors.filter { $0.kind != .externalSource }.map {
                      "\($0.location.path)\($0.location.line.map { ":\($0)" } ?? ""): \($0.message)"
                  })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(entries)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func mermaid(_ tree: FluxTree) -> String {
        func id(_ reference: FluxReference) -> String {
            "ks_" + "\(reference.namespace)_\(reference.name)".map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        }
        var lines = ["graph TD"]
        for kustomization in tree.kustomizations {
            lines.append("  \(id(kustomization.reference))[\"\(kustomization.reference.namespace)/\(kustomization.reference.name)\"]")
        }
        for kustomization in tree.kustomizations {
            if let parent = kustomization.parent { lines.append("  \(id(parent)) --> \(id(kustomization.reference))") }
            for dependency in kustomization.dependsOn {
                lines.append("  \(id(kustomization.reference)) -.->|dependsOn| \(id(dependency.reference))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The YAML of what one Kustomization applies, with the ownership labels
    /// kustomize-controller adds to every object.
    public static func build(_ kustomization: FluxKustomization) -> String {
        YAMLEmitter.emit(documents: kustomization.objects.map { object in
            var node = object.node
            for (key, value) in [("kustomize.toolkit.fluxcd.io/name", kustomization.reference.name),
                                 ("kustomize.toolkit.fluxcd.io/namespace", kustomization.reference.namespace)] {
                node = node.updated(["metadata", "labels", key], create: true) { _ in .quotedString(value) }
            }
            return node
        })
    }
}
