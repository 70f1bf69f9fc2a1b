import Foundation
import MCP

/// One tool call a model asked for, after lenient parsing.
struct ParsedToolCall: Sendable {
    var id: String
    var name: String
    var arguments: [String: Value]
    /// Set when the arguments could not be read; the call is answered with this error.
    var argumentError: String?
}

/// Reads tool calls the way small local models actually send them: arguments as a JSON
/// string or an object, missing ids, calls written into `content`, `finish_reason: stop`
/// next to real tool calls.
enum ToolCallParser {
    static func calls(in message: Value, nextID: () -> String) -> [ParsedToolCall] {
        let object = message.objectValue ?? [:]
        var calls: [ParsedToolCall] = []
        for raw in object["tool_calls"]?.arrayValue ?? [] {
            guard let call = raw.objectValue else { continue }
            let function = call["function"]?.objectValue ?? call
            guard let name = function["name"]?.stringValue, !name.isEmpty else { continue }
            let id = call["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? nextID()
            let (arguments, error) = readArguments(function["arguments"] ?? function["parameters"])
            calls.append(ParsedToolCall(id: id, name: name, arguments: arguments, argumentError: error))
        }
        if calls.isEmpty, let content = object["content"]?.stringValue {
            calls = callsInContent(content, nextID: nextID)
        }
        return calls
    }

    static func readArguments(_ value: Value?) -> ([String: Value], String?) {
        switch value {
        case nil, .null?:
            return ([:], nil)
        case .object(let object)?:
            return (object, nil)
        case .string(let text)?:
            let trimmed = stripFences(text).trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return ([:], nil) }
            if let object = decodeObject(trimmed) { return (object, nil) }
            // A JSON string holding the JSON (double-encoded).
            if let inner = try? JSONDecoder().decode(String.self, from: Data(trimmed.utf8)), let object = decodeObject(inner) {
                return (object, nil)
            }
            return ([:], "the arguments are not a JSON object; send them as JSON, e.g. {\"path\": \"…\"}")
        default:
            return ([:], "the arguments are not a JSON object")
        }
    }

    /// `{"name": …, "arguments": …}` objects written into the message text, alone, in
    /// code fences or in `<tool_call>` tags.
    static func callsInContent(_ content: String, nextID: () -> String) -> [ParsedToolCall] {
        var candidates: [String] = []
        var text = content.replacingOccurrences(of: "<tool_call>", with: "\n").replacingOccurrences(of: "</tool_call>", with: "\n")
        text = stripFences(text)
        var depth = 0
        var start: String.Index?
        var inString = false
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{":
                if depth == 0 { start = index }
                depth += 1
            case "}":
                depth -= 1
                if depth == 0, let begin = start { candidates.append(String(text[begin...index])) }
                if depth < 0 { depth = 0 }
            default: break
            }
        }
        return candidates.compactMap { candidate in
            guard let object = decodeObject(candidate), let name = (object["name"] ?? object["function"]?.objectValue?["name"])?.stringValue else { return nil }
            let (arguments, error) = readArguments(object["arguments"] ?? object["parameters"] ?? object["function"]?.objectValue?["arguments"])
            return ParsedToolCall(id: nextID(), name: name, arguments: arguments, argumentError: error)
        }
    }

    static func decodeObject(_ text: String) -> [String: Value]? {
        (try? JSONDecoder().decode(Value.self, from: Data(text.utf8)))?.objectValue
    }

    static func stripFences(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }
            .joined(separator: "\n")
    }
}
