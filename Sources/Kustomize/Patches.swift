import Manifests

/// `patchesStrategicMerge`, `patches` and `patchesJson6902`.
enum Patches {
    /// A patch body and where it came from.
    struct Body {
        var documents: [YAMLNode]
        var path: String
        var line: Int?
    }

    static func strategicMergeField(_ spec: KustomizationSpec, files: any KustomizeFileSource, on list: inout ResourceList) throws {
        for item in spec.node["patchesStrategicMerge"]?.sequence?.items ?? [] {
            guard let text = item.string else { continue }
            let body: Body
            let candidate = KustomizePath.join(spec.directory, text)
            if !text.contains("\n"), files.isFile(candidate) {
                body = try load(candidate, files: files)
            } else {
                body = try inline(text, spec: spec, mark: item.mark)
            }
            for document in body.documents {
                try applyStrategic(document, selector: nil, body: body, on: &list)
            }
        }
    }

    static func patchesField(_ spec: KustomizationSpec, files: any KustomizeFileSource, on list: inout ResourceList) throws {
        for item in spec.node["patches"]?.sequence?.items ?? [] {
            let body = try patchBody(item, spec: spec, files: files)
            let selector = item["target"].map(TargetSelector.init(node:))
            if body.documents.count == 1, body.documents[0].sequence != nil {
                guard let selector else {
                    throw KustomizeError("a JSON 6902 patch needs a target", path: spec.path, mark: item.mark)
                }
                try applyJSON(body.documents[0], selector: selector, body: body, on: &list)
                continue
            }
            for document in body.documents {
                try applyStrategic(document, selector: selector, body: body, on: &list)
            }
        }
    }

    static func json6902Field(_ spec: KustomizationSpec, files: any KustomizeFileSource, on list: inout ResourceList) throws {
        for item in spec.node["patchesJson6902"]?.sequence?.items ?? [] {
            guard let target = item["target"] else {
                throw KustomizeError("a patchesJson6902 entry needs a target", path: spec.path, mark: item.mark)
            }
            let body = try patchBody(item, spec: spec, files: files)
            guard let operations = body.documents.first else { continue }
            try applyJSON(operations, selector: TargetSelector(node: target), body: body, on: &list)
        }
    }

    static func patchBody(_ item: YAMLNode, spec: KustomizationSpec, files: any KustomizeFileSource) throws -> Body {
        if let path = item["path"]?.string {
            return try load(KustomizePath.join(spec.directory, path), files: files)
        }
        if let text = item["patch"]?.string {
            return try inline(text, spec: spec, mark: item["patch"]?.mark)
        }
        throw KustomizeError("a patch needs 'path' or 'patch'", path: spec.path, mark: item.mark)
    }

    static func load(_ path: String, files: any KustomizeFileSource) throws -> Body {
        guard let stream = files.yaml(path) else { throw KustomizeError("patch file does not exist", path: path) }
        if let error = stream.error { throw KustomizeError("YAML does not parse: \(error.message)", path: path, mark: error.mark) }
        return Body(documents: stream.documents.filter { !$0.isNull }, path: path, line: nil)
    }

    static func inline(_ text: String, spec: KustomizationSpec, mark: Mark?) throws -> Body {
        let stream = YAMLParser.parse(text)
        if let error = stream.error {
            let line = (mark?.line ?? 0) + (error.mark?.line ?? 0)
            throw KustomizeError("inline patch does not parse: \(error.message)", path: spec.path, line: line > 0 ? line : nil)
        }
        return Body(documents: stream.documents.filter { !$0.isNull }, path: spec.path, line: mark?.line)
    }

    static func applyStrategic(_ patch: YAMLNode, selector: TargetSelector?, body: Body, on list: inout ResourceList) throws {
        guard patch.mapping != nil else {
            throw KustomizeError("a strategic merge patch must be a mapping", path: body.path, line: body.line)
        }
        var indices: [Int]
        if let selector {
            indices = try matching(selector, list, body: body)
        } else {
            let kind = patch["kind"]?.string
            let name = patch[path: "metadata.name"]?.string
            let namespace = patch[path: "metadata.namespace"]?.string
            let group = patch["apiVersion"]?.string.map { GroupVersionKind(apiVersion: $0, kind: "").group }
            indices = list.resources.indices.filter { index in
                let resource = list.resources[index]
                guard resource.kind == kind else { return false }
                if let group, group != resource.gvk.group { return false }
                guard resource.name == name || resource.originalName == name || resource.previousNames.contains(name ?? "") else { return false }
                if let namespace, !namespace.isEmpty { return resource.namespace == namespace || (resource.namespace.isEmpty && namespace == "default") }
                return true
            }
            if indices.isEmpty {
                throw KustomizeError("no object matches the patch for \(kind ?? "?") \(name ?? "?")", path: body.path, line: body.line)
            }
            if indices.count > 1 {
                throw KustomizeError("the patch for \(kind ?? "?") \(name ?? "?") matches \(indices.count) objects; give it a namespace or a target", path: body.path, line: body.line)
            }
        }
        var deleted: Set<Int> = []
        for index in indices {
            if let merged = StrategicMerge.apply(patch, to: list.resources[index].node) {
                list.resources[index].node = merged
            } else {
                deleted.insert(index)
            }
        }
        if !deleted.isEmpty {
            list.resources = list.resources.enumerated().filter { !deleted.contains($0.offset) }.map(\.element)
        }
    }

    static func applyJSON(_ operations: YAMLNode, selector: TargetSelector, body: Body, on list: inout ResourceList) throws {
        for index in try matching(selector, list, body: body) {
            do {
                let oldName = list.resources[index].name
                let patched = try JSONPatch.apply(operations, to: list.resources[index].node)
                list.resources[index].node = patched
                let newName = list.resources[index].name
                if newName != oldName {
                    list.resources[index].node = patched.updating(["metadata", "name"], create: true) { _ in .text(oldName) }
                    list.resources[index].setName(newName)
                }
            } catch let failure as JSONPatch.Failure {
                throw KustomizeError("JSON 6902 patch on \(list.resources[index].kind) \(list.resources[index].name): \(failure.message)", path: body.path, line: body.line)
            }
        }
    }

    static func matching(_ selector: TargetSelector, _ list: ResourceList, body: Body) throws -> [Int] {
        do {
            return try list.resources.indices.filter { try selector.matches(list.resources[$0]) }
        } catch let error as SelectorError {
            throw KustomizeError(error.message, path: body.path, line: body.line)
        }
    }
}
