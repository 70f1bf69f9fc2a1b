/// Flux's post-build variable substitution: `${VAR}`, `${VAR:=default}`, `${VAR:-default}`,
/// and `$${VAR}` for a literal `${VAR}`. Bare `$VAR` is left alone, as Flux leaves it.
public enum Substitution {
    /// A `${...}` reference found in a value.
    public struct Reference: Sendable, Hashable {
        public var name: String
        public var hasDefault: Bool
    }

    /// The substituted text and the variables that were used without a value or a default.
    public static func apply(_ text: String, variables: [String: String]) -> (text: String, undefined: [String]) {
        guard text.contains("${") else { return (text, []) }
        var result = ""
        var undefined: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "$" {
                let next = text.index(after: index)
                if next < text.endIndex, text[next] == "$", text[text.index(after: next)...].hasPrefix("{") {
                    // `$${VAR}` is an escaped, literal `${VAR}`.
                    result += "$"
                    index = text.index(after: next)
                    if let close = text[index...].firstIndex(of: "}") {
                        result += text[index...close]
                        index = text.index(after: close)
                    }
                    continue
                }
                if next < text.endIndex, text[next] == "{", let close = matchingBrace(text, from: next) {
                    let expression = String(text[text.index(after: next)..<close])
                    let (value, missing) = evaluate(expression, variables: variables)
                    undefined += missing
                    result += value
                    index = text.index(after: close)
                    continue
                }
            }
            result.append(character)
            index = text.index(after: index)
        }
        return (result, undefined)
    }

    /// Every `${...}` reference in a text (escaped ones excluded).
    public static func references(in text: String) -> [Reference] {
        guard text.contains("${") else { return [] }
        var found: [Reference] = []
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "$" {
                let next = text.index(after: index)
                if next < text.endIndex, text[next] == "$" {
                    index = text.index(after: next)
                    if index < text.endIndex, text[index] == "{", let close = text[index...].firstIndex(of: "}") {
                        index = text.index(after: close)
                    }
                    continue
                }
                if next < text.endIndex, text[next] == "{", let close = matchingBrace(text, from: next) {
                    let expression = String(text[text.index(after: next)..<close])
                    let (name, fallback) = split(expression)
                    found.append(Reference(name: name, hasDefault: fallback != nil))
                    if let fallback { found += references(in: fallback) }
                    index = text.index(after: close)
                    continue
                }
            }
            index = text.index(after: index)
        }
        return found
    }

    static func split(_ expression: String) -> (name: String, fallback: String?) {
        for marker in [":=", ":-", "="] {
            if let range = expression.range(of: marker) {
                return (String(expression[..<range.lowerBound]), String(expression[range.upperBound...]))
            }
        }
        return (expression, nil)
    }

    /// The index of the `}` closing the `{` at `open`, counting nested `${...}`.
    static func matchingBrace(_ text: String, from open: String.Index) -> String.Index? {
        var depth = 0
        var index = open
        while index < text.endIndex {
            if text[index] == "{" { depth += 1 }
            if text[index] == "}" {
                depth -= 1
                if depth == 0 { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    static func evaluate(_ expression: String, variables: [String: String]) -> (String, [String]) {
        let (name, fallback) = split(expression)
        if let value = variables[name], !(value.isEmpty && fallback != nil) { return (value, []) }
        if let fallback {
            // A default may itself use variables: `${CLAIM:-${APP}}`.
            let (text, missing) = apply(fallback, variables: variables)
            return (text, missing)
        }
        return ("", [name])
    }
}
