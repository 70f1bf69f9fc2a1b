import Foundation

/// The file formats sops reads and writes.
public enum SOPSStoreKind: String, Sendable, CaseIterable {
    case yaml, json, dotenv, ini, binary

    /// The store sops picks from a file name (unknown extensions are binary).
    public static func forPath(_ path: String) -> SOPSStoreKind {
        let name = (path as NSString).lastPathComponent.lowercased()
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return .yaml }
        if name.hasSuffix(".json") { return .json }
        if name.hasSuffix(".env") || name == ".env" { return .dotenv }
        if name.hasSuffix(".ini") { return .ini }
        return .binary
    }
}

/// A sops file split into its data (one or more documents) and the metadata tree.
public struct SOPSParsedFile: Sendable {
    public var kind: SOPSStoreKind
    /// The data branches: YAML documents; one mapping for JSON, dotenv and INI.
    public var documents: [SOPSNode]
    /// The `sops` tree when the file carries one.
    public var metadataNode: SOPSNode?

    public init(kind: SOPSStoreKind, documents: [SOPSNode], metadataNode: SOPSNode?) {
        self.kind = kind
        self.documents = documents
        self.metadataNode = metadataNode
    }
}

/// Reading and writing the text stores (binary data is wrapped in JSON by the caller).
public enum SOPSStore {
    public struct StoreError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var line: Int?
        public var description: String { line.map { "line \($0): \(message)" } ?? message }
        public init(_ message: String, line: Int? = nil) {
            self.message = message
            self.line = line
        }
    }

    /// Parses `text` in the store `kind` (not `.binary`: its envelope is JSON).
    public static func parse(_ text: String, kind: SOPSStoreKind) throws -> SOPSParsedFile {
        switch kind {
        case .yaml:
            let documents: [SOPSNode]
            do { documents = try YAMLDocumentReader.read(text) } catch let error as YAMLDocumentReader.ReadError {
                throw StoreError(error.message, line: error.line)
            }
            let metadata = documents.lazy.compactMap { $0["sops"] }.first
            return SOPSParsedFile(kind: kind, documents: documents.map { $0.removing("sops") }, metadataNode: metadata)
        case .json, .binary:
            let root: SOPSNode
            do { root = try JSONTree.parse(text) } catch let error as JSONTree.ParseError {
                throw StoreError(error.message, line: error.line)
            }
            guard case .mapping = root else { throw StoreError("the JSON document is not an object") }
            return SOPSParsedFile(kind: kind, documents: [root.removing("sops")], metadataNode: root["sops"])
        case .dotenv:
            return try parseDotenv(text)
        case .ini:
            return try parseINI(text)
        }
    }

    /// Writes documents and metadata back in the store's text form.
    public static func emit(_ file: SOPSParsedFile) -> String {
        switch file.kind {
        case .yaml:
            let documents = file.documents.map { document in
                file.metadataNode.map { document.setting("sops", $0) } ?? document
            }
            return YAMLWriter.emit(documents)
        case .json, .binary:
            var root = file.documents.first ?? .mapping([])
            if let metadata = file.metadataNode { root = root.setting("sops", metadata) }
            return JSONTree.emit(root)
        case .dotenv:
            return emitDotenv(file)
        case .ini:
            return emitINI(file)
        }
    }

    // MARK: dotenv

    private static func parseDotenv(_ text: String) throws -> SOPSParsedFile {
        var items: [SOPSMapItem] = []
        var metadata: [(key: String, value: String)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if line.hasPrefix("#") {
                items.append(.comment(String(line.dropFirst())))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw StoreError("a dotenv line has no '=' (expected KEY=VALUE)", line: index + 1)
            }
            let key = String(line[..<equals])
            let value = String(line[line.index(after: equals)...]).replacingOccurrences(of: "\\n", with: "\n")
            if key.hasPrefix("sops_") {
                metadata.append((String(key.dropFirst(5)), value))
            } else {
                items.append(.entry(key: key, value: .scalar(.string(value)), line: index + 1))
            }
        }
        return SOPSParsedFile(kind: .dotenv, documents: [.mapping(items)],
                              metadataNode: metadata.isEmpty ? nil : FlatMetadata.unflatten(metadata))
    }

    private static func emitDotenv(_ file: SOPSParsedFile) -> String {
        var output = ""
        if case .mapping(let items)? = file.documents.first {
            for item in items {
                switch item {
                case .comment(let text): output += "#\(text)\n"
                case .entry(let key, let value, _):
                    output += "\(key)=\((value.text ?? "").replacingOccurrences(of: "\n", with: "\\n"))\n"
                }
            }
        }
        if let metadata = file.metadataNode {
            for (key, value) in FlatMetadata.flatten(metadata) {
                output += "sops_\(key)=\(value.replacingOccurrences(of: "\n", with: "\\n"))\n"
            }
        }
        return output
    }

    // MARK: INI

    private static func parseINI(_ text: String) throws -> SOPSParsedFile {
        var sections: [SOPSMapItem] = []
        var current: (name: String, line: Int, items: [SOPSMapItem])?
        var metadata: [(key: String, value: String)] = []
        var pendingComments: [SOPSMapItem] = []
        func close() {
            guard let section = current else { return }
            if section.name == "sops" {
                for item in section.items {
                    if case .entry(let key, let value, _) = item { metadata.append((key, value.text ?? "")) }
                }
            } else {
                sections.append(.entry(key: section.name, value: .mapping(section.items), line: section.line))
            }
            current = nil
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if line.isEmpty { continue }
            if line.hasPrefix("#") || line.hasPrefix(";") {
                let comment = SOPSMapItem.comment(String(line.dropFirst()))
                if current == nil { pendingComments.append(comment) } else { current?.items.append(comment) }
                continue
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw StoreError("a section header has no closing ']'", line: index + 1) }
                close()
                current = (String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces), index + 1, pendingComments)
                pendingComments = []
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw StoreError("an INI line has no '=' (expected key = value)", line: index + 1)
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, (value.hasPrefix("\"") && value.hasSuffix("\"")) {
                value = String(value.dropFirst().dropLast())
            }
            if current == nil { current = ("DEFAULT", index + 1, []) }
            let stored = current?.name == "sops" ? value.replacingOccurrences(of: "\\n", with: "\n") : value
            current?.items.append(.entry(key: key, value: .scalar(.string(stored)), line: index + 1))
        }
        close()
        return SOPSParsedFile(kind: .ini, documents: [.mapping(sections)],
                              metadataNode: metadata.isEmpty ? nil : FlatMetadata.unflatten(metadata))
    }

    private static func emitINI(_ file: SOPSParsedFile) -> String {
        var blocks: [String] = []
        if case .mapping(let sections)? = file.documents.first {
            for section in sections {
                guard case .entry(let name, let body, _) = section else { continue }
                var block = ""
                if case .mapping(let items) = body {
                    let headComments = items.prefix { if case .comment = $0 { return true } else { return false } }
                    for case .comment(let text) in headComments { block += "#\(text)\n" }
                    block += "[\(name)]\n"
                    for item in items.dropFirst(headComments.count) {
                        switch item {
                        case .comment(let text): block += "#\(text)\n"
                        case .entry(let key, let value, _): block += "\(key) = \(value.text ?? "")\n"
                        }
                    }
                }
                blocks.append(block)
            }
        }
        if let metadata = file.metadataNode {
            var block = "[sops]\n"
            for (key, value) in FlatMetadata.flatten(metadata) {
                block += "\(key) = \(value.replacingOccurrences(of: "\n", with: "\\n"))\n"
            }
            blocks.append(block)
        }
        return blocks.joined(separator: "\n")
    }
}
