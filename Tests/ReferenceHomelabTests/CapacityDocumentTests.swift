import Foundation
import Manifests
import Testing

/// docs/capacity.md states, per workload, what the manifests declare. For the workloads this
/// repository writes as raw manifests, the numbers are checked against the manifests, so a
/// resources change without a capacity update fails here.
struct CapacityDocumentTests {
    /// Raw-manifest workloads (kind/name) and their row in the capacity table.
    static let rows: [String: String] = [
        "Deployment/demo-game": "demo-game",
        "Deployment/jellyfin": "Jellyfin",
        "Deployment/nextcloud": "Nextcloud",
        "StatefulSet/postgres": "PostgreSQL (Nextcloud)",
        "Deployment/ollama": "Ollama",
        "Deployment/open-webui": "Open WebUI",
        "Deployment/cloudflared": "cloudflared",
    ]

    @Test func rawWorkloadsMatchTheirCapacityRow() throws {
        let text = try #require(ReferenceRepo.snapshot.file("docs/capacity.md")?.text)
        var table: [String: [String]] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count == 7 { table[cells[0]] = Array(cells[3...6]) }
        }
        var checked = 0
        for document in ReferenceRepo.documents {
            guard let kind = document.kind, let name = document.name, let label = Self.rows["\(kind)/\(name)"] else { continue }
            let containers = document.root[path: "spec.template.spec.containers"]?.sequence?.items ?? []
            let expected = [
                "\(Self.sum(containers, "requests.cpu", Self.millicores))m",
                "\(Self.sum(containers, "requests.memory", Self.mebibytes)) Mi",
                "\(Self.sum(containers, "limits.cpu", Self.millicores))m",
                "\(Self.sum(containers, "limits.memory", Self.mebibytes)) Mi",
            ]
            #expect(table[label] == expected, "docs/capacity.md row '\(label)' says \(table[label] ?? []), \(document.path) declares \(expected)")
            checked += 1
        }
        #expect(checked == Self.rows.count)
    }

    static func sum(_ containers: [YAMLNode], _ field: String, _ parse: (String) -> Int) -> Int {
        containers.reduce(0) { $0 + parse($1[path: "resources." + field]?.scalar?.value ?? "0") }
    }

    static func millicores(_ value: String) -> Int {
        value.hasSuffix("m") ? Int(value.dropLast()) ?? -1 : (Double(value).map { Int($0 * 1000) } ?? -1)
    }

    static func mebibytes(_ value: String) -> Int {
        if value.hasSuffix("Mi") { return Int(value.dropLast(2)) ?? -1 }
        if value.hasSuffix("Gi") { return (Int(value.dropLast(2)) ?? -1) * 1024 }
        return -1
    }
}
