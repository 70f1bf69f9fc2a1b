import Manifests

/// Turns parsed YAML documents into ``SOPSNode`` trees, typed as sops types them, with the
/// file's comments put back where sops keeps them (a comment belongs to the mapping or
/// sequence holding the next value; an inline comment becomes a comment above its line).
public enum YAMLDocumentReader {
    /// Why a YAML file cannot be handled as a sops file.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var line: Int?
        public var description: String { line.map { "line \($0): \(message)" } ?? message }
    }

    /// Reads every document of `text`.
    public static func read(_ text: String) throws -> [SOPSNode] {
        try read(stream: YAMLParser.parse(text), text: text)
    }

    /// Converts an already parsed stream (the snapshot's) of `text`.
    public static func read(stream: YAMLStream, text: String) throws -> [SOPSNode] {
        if let error = stream.error { throw ReadError(message: "YAML does not parse: \(error.message)", line: error.mark?.line) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.last == "\r" ? $0.dropLast() : $0
        }
        var documents: [SOPSNode] = []
        var startLine = 1
        for document in stream.documents {
            var nodeLines: [Int] = []
            var blockScalarLines: [Int] = []
            collectLines(document, into: &nodeLines, blockScalars: &blockScalarLines)
            let endLine = nextDocumentStart(lines, after: nodeLines.max() ?? startLine)
            let comments = commentsByLine(lines, from: startLine, to: endLine, nodeLines: Set(nodeLines),
                                          sortedNodeLines: nodeLines.sorted(), blockScalarLines: Set(blockScalarLines))
            var remaining = comments
            var node = try convert(document, path: [], comments: &remaining)
            // Comments after the last value of the document stay at its end.
            if case .mapping(var items) = node, !remaining.isEmpty {
                for line in remaining.keys.sorted() { items += (remaining[line] ?? []).map(SOPSMapItem.comment) }
                node = .mapping(items)
            }
            if case .sequence = node {
                throw ReadError(message: "a top-level list cannot be encrypted by sops; put it under a key", line: document.mark.line)
            }
            documents.append(node)
            startLine = endLine + 1
        }
        return documents
    }

    private static func nextDocumentStart(_ lines: [Substring], after line: Int) -> Int {
        var index = line  // 0-based index of the line after `line`
        while index < lines.count {
            if lines[index].hasPrefix("---") { return index }
            index += 1
        }
        return lines.count
    }

    private static func collectLines(_ node: YAMLNode, into lines: inout [Int], blockScalars: inout [Int]) {
        switch node {
        case .scalar(let scalar):
            lines.append(scalar.mark.line)
            if scalar.style == .literal || scalar.style == .folded || scalar.value.contains("\n") {
                blockScalars.append(scalar.mark.line)
            }
        case .mapping(let mapping):
            lines.append(mapping.mark.line)
            for entry in mapping.entries {
                lines.append(entry.key.mark.line)
                collectLines(entry.value, into: &lines, blockScalars: &blockScalars)
            }
        case .sequence(let sequence):
            lines.append(sequence.mark.line)
            for item in sequence.items { collectLines(item, into: &lines, blockScalars: &blockScalars) }
        }
    }

    /// Comment texts (without `#`) keyed by the line of the value they precede.
    private static func commentsByLine(_ lines: [Substring], from start: Int, to end: Int, nodeLines: Set<Int>,
                                       sortedNodeLines: [Int], blockScalarLines: Set<Int>) -> [Int: [String]] {
        var result: [Int: [String]] = [:]
        var pending: [String] = []
        var insideBlockScalar = false
        var line = start
        while line <= end, line <= lines.count {
            let text = lines[line - 1]
            let trimmed = text.drop { $0 == " " || $0 == "\t" }
            if nodeLines.contains(line) {
                insideBlockScalar = blockScalarLines.contains(line)
                var here = pending
                pending = []
                if let inline = inlineComment(text) { here.append(inline) }
                if !here.isEmpty { result[line, default: []] += here }
            } else if !insideBlockScalar, trimmed.hasPrefix("#") {
                pending.append(String(trimmed.dropFirst()))
            }
            line += 1
        }
        if !pending.isEmpty {
            result[Int.max] = pending
        }
        return result
    }

    /// The comment at the end of a line holding a key or a value, outside quotes.
    private static func inlineComment(_ line: Substring) -> String? {
        var quote: Character?
        var previous: Character = " "
        var index = line.startIndex
        // A whole-line comment is not inline.
        if line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("#") { return nil }
        while index < line.endIndex {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'", previous == " " || previous == ":" || previous == "-" || previous == "[" || previous == "," || previous == "{" {
                quote = character
            } else if character == "#", previous == " " || previous == "\t" {
                return String(line[line.index(after: index)...])
            } else if character == "|" || character == ">" {
                // A block scalar indicator: the rest is its header (it may still hold a comment).
            }
            previous = character
            index = line.index(after: index)
        }
        return nil
    }

    private static func convert(_ node: YAMLNode, path: [String], comments: inout [Int: [String]]) throws -> SOPSNode {
        switch node {
        case .scalar(let scalar):
            return .scalar(GoYAMLTyping.scalar(scalar))
        case .mapping(let mapping):
            var items: [SOPSMapItem] = []
            for entry in mapping.entries {
                guard let key = entry.key.scalar else {
                    throw ReadError(message: "a mapping key is not a string; sops accepts only string keys", line: entry.key.mark.line)
                }
                if let head = comments.removeValue(forKey: entry.key.mark.line) {
                    items += head.map(SOPSMapItem.comment)
                }
                let value = try convert(entry.value, path: path + [key.value], comments: &comments)
                items.append(.entry(key: key.value, value: value, line: entry.key.mark.line))
            }
            return .mapping(items)
        case .sequence(let sequence):
            var items: [SOPSNode] = []
            for item in sequence.items {
                if case .scalar = item, let head = comments.removeValue(forKey: item.mark.line) {
                    items += head.map(SOPSNode.comment)
                }
                items.append(try convert(item, path: path, comments: &comments))
            }
            return .sequence(items)
        }
    }
}
