@testable import Flux
import Foundation
import Manifests
import Testing
import TestSupport

/// The in-process CRD → JSON schema conversion gives the same shape as the published catalog
/// (`crd-schemas/`, converted the openapi2jsonschema way): the same fields, and unknown fields
/// refused at the same places.
@Suite struct CRDConversionTests {
    static func shape(_ schema: JSONSchema, path: String = "", depth: Int = 0, into result: inout Set<String>) {
        guard depth < 40 else { return }
        if case .forbidden = schema.additional, !path.isEmpty { result.insert("\(path)!strict") }
        for (name, property) in schema.properties {
            result.insert("\(path)/\(name)")
            shape(property, path: "\(path)/\(name)", depth: depth + 1, into: &result)
        }
        if let items = schema.items { shape(items, path: "\(path)[]", depth: depth + 1, into: &result) }
    }

    @Test func fluxCRDsConvertLikeTheCatalog() throws {
        guard let crds = SharedData.path("crds/flux"), let catalog = SharedData.path("crd-schemas") else {
            #expect(!SharedData.isCI, "crds/ and crd-schemas/ are required in CI")
            return
        }
        var compared = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: crds).sorted() where name.hasSuffix(".yaml") {
            let text = try String(contentsOfFile: crds + "/" + name, encoding: .utf8)
            let snapshot = RepoScanner.snapshot(files: ["crd.yaml": text])
            let document = try #require(snapshot.file("crd.yaml")?.yaml?.documents.first)
            let group = try #require(document[path: "spec.group"]?.string)
            let kind = try #require(document[path: "spec.names.kind"]?.string)
            let crdCatalog = SchemaCatalog(sources: SchemaSources(), snapshot: snapshot)
            for version in document[path: "spec.versions"]?.sequence?.items ?? [] {
                guard let versionName = version["name"]?.string else { continue }
                let file = catalog + "/\(group)/\(kind.lowercased())_\(versionName).json"
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                let published = JSONSchema(json: try JSONSerialization.jsonObject(with: data))
                guard case .found(let converted, _, _) = crdCatalog.lookup(apiVersion: "\(group)/\(versionName)", kind: kind) else {
                    Issue.record("no converted schema for \(group)/\(versionName) \(kind)")
                    continue
                }
                var ours: Set<String> = []
                var theirs: Set<String> = []
                Self.shape(converted, into: &ours)
                Self.shape(published, into: &theirs)
                // The catalog may predate the CRD: every published field and strict object must
                // be the same in the conversion.
                let missing = theirs.subtracting(ours)
                #expect(missing.isEmpty, "\(kind) \(versionName): \(missing.sorted().prefix(10))")
                let strictOurs = ours.filter { $0.hasSuffix("!strict") }
                let strictTheirs = theirs.filter { $0.hasSuffix("!strict") }
                let extraStrict = strictOurs.subtracting(strictTheirs).filter { path in
                    // Objects the newer CRD added are strict in ours only.
                    theirs.contains(String(path.dropLast("!strict".count)))
                }
                #expect(extraStrict.isEmpty, "\(kind) \(versionName): strict only in the conversion: \(extraStrict.sorted().prefix(10))")
                compared += 1
            }
        }
        #expect(compared >= 15)
    }
}
