import Foundation
import Testing
import TestSupport

/// renovate.json5's regex managers, applied the way Renovate applies them, to every
/// `# renovate:` comment in the repository: each comment must be captured, with the dependency
/// it names and the value on the line below it, so a new pin cannot be silently missed.
@Suite struct RenovateConfigTests {
    /// One `# renovate:` comment and what it pins, read from the file independently of the config.
    struct Pin: CustomStringConvertible {
        var path: String
        var line: Int
        var depName: String
        var value: String
        var description: String { "\(path):\(line) \(depName)=\(value)" }
    }

    struct Manager {
        var filePatterns: [NSRegularExpression]
        var matchStrings: [NSRegularExpression]
    }

    static func config() throws -> [String: Any] {
        let text = try String(contentsOfFile: ReferenceRepo.root + "/renovate.json5", encoding: .utf8)
        let json = try JSON5.toJSON(text)
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    static func managers() throws -> [Manager] {
        let custom = try #require(try config()["customManagers"] as? [[String: Any]])
        return try custom.filter { $0["customType"] as? String == "regex" }.map { manager in
            let patterns = (manager["managerFilePatterns"] as? [String] ?? []).map { pattern in
                // Renovate writes regex file patterns between slashes.
                String(pattern.dropFirst().dropLast())
            }
            return Manager(filePatterns: try patterns.map { try NSRegularExpression(pattern: $0) },
                           matchStrings: try (manager["matchStrings"] as? [String] ?? []).map { try NSRegularExpression(pattern: $0) })
        }
    }

    /// Every `# renovate:` comment in tracked configuration files (sources, tests and docs only
    /// describe the convention).
    static func pins() throws -> [Pin] {
        let listed = try TestProcess.run("/usr/bin/env", ["git", "-C", ReferenceRepo.root, "ls-files"])
        let paths = listed.standardOutput.split(separator: "\n").map(String.init).filter { path in
            !path.hasPrefix("Sources/") && !path.hasPrefix("Tests/") && !path.hasPrefix("docs/") && !path.hasSuffix(".md") && path != "renovate.json5"
        }
        var pins: [Pin] = []
        for path in paths {
            guard let text = try? String(contentsOfFile: ReferenceRepo.root + "/" + path, encoding: .utf8), text.contains("# renovate:") else { continue }
            let lines = text.components(separatedBy: "\n")
            for (index, line) in lines.enumerated() where line.contains("# renovate:") {
                let depName = line.components(separatedBy: " ").first { $0.hasPrefix("depName=") }.map { String($0.dropFirst("depName=".count)) } ?? ""
                let next = index + 1 < lines.count ? lines[index + 1] : ""
                let value = next.components(separatedBy: ": ").dropFirst().joined(separator: ": ")
                    .trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                pins.append(Pin(path: path, line: index + 1, depName: depName, value: value))
            }
        }
        return pins
    }

    @Test func everyRenovateCommentIsCapturedWithItsDependencyAndValue() throws {
        let managers = try Self.managers()
        let pins = try Self.pins()
        #expect(pins.count >= 3, "the reference repository pins at least the Flux operator, Flux and local-path-provisioner")
        #expect(pins.contains { $0.depName == "controlplaneio-fluxcd/flux-operator" && $0.path == "cluster/kubernetes/flux/flux-instance.yaml" })
        for pin in pins {
            let text = try String(contentsOfFile: ReferenceRepo.root + "/" + pin.path, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            let commentOffset = text.components(separatedBy: "\n").prefix(pin.line - 1).map { $0.utf16.count + 1 }.reduce(0, +)
            var captured: (depName: String, value: String)?
            for manager in managers where manager.filePatterns.contains(where: { $0.firstMatch(in: pin.path, range: NSRange(pin.path.startIndex..., in: pin.path)) != nil }) {
                for expression in manager.matchStrings {
                    for match in expression.matches(in: text, range: range) {
                        // The match that starts at this comment's `# renovate:`.
                        let start = match.range.location
                        guard start >= commentOffset, start < commentOffset + (text.components(separatedBy: "\n")[pin.line - 1].utf16.count) else { continue }
                        func group(_ name: String) -> String {
                            let found = match.range(withName: name)
                            guard found.location != NSNotFound, let swiftRange = Range(found, in: text) else { return "" }
                            return String(text[swiftRange])
                        }
                        captured = (group("depName"), group("currentValue"))
                    }
                }
            }
            let result = try #require(captured, "no regex manager of renovate.json5 matches \(pin)")
            #expect(result.depName == pin.depName, "\(pin)")
            #expect(result.value == pin.value, "\(pin)")
            #expect(!pin.value.isEmpty, "\(pin): no value on the line below the comment")
        }
    }

    @Test func aPinInAnUncoveredFolderWouldBeMissed() throws {
        // The check above is only as good as its file patterns: a path outside them is not matched.
        let managers = try Self.managers()
        let covered = managers.contains { $0.filePatterns.contains { $0.firstMatch(in: "synology/nfs.yaml", range: NSRange(location: 0, length: 16)) != nil } }
        #expect(!covered)
    }
}

/// Just enough JSON5 for renovate.json5: comments, unquoted keys and trailing commas.
enum JSON5 {
    struct SyntaxError: Error { var message: String }

    static func toJSON(_ text: String) throws -> String {
        var output = ""
        var characters = Array(text)
        characters.append("\n")
        var index = 0
        while index < characters.count - 1 {
            let character = characters[index]
            if character == "\"" || character == "'" {
                // Copy a string literal, re-quoted with double quotes.
                var literal = "\""
                index += 1
                while index < characters.count, characters[index] != character {
                    if characters[index] == "\\" { literal.append(characters[index]); index += 1 }
                    if characters[index] == "\"" && character == "'" { literal.append("\\") }
                    literal.append(characters[index])
                    index += 1
                }
                guard index < characters.count else { throw SyntaxError(message: "unterminated string") }
                output += literal + "\""
                index += 1
            } else if character == "/" && characters[index + 1] == "/" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
            } else if character == "/" && characters[index + 1] == "*" {
                index += 2
                while index + 1 < characters.count, !(characters[index] == "*" && characters[index + 1] == "/") { index += 1 }
                index += 2
            } else if character.isLetter || character == "$" || character == "_" {
                var word = ""
                while index < characters.count, characters[index].isLetter || characters[index].isNumber || "$_".contains(characters[index]) {
                    word.append(characters[index])
                    index += 1
                }
                var lookahead = index
                while lookahead < characters.count, characters[lookahead].isWhitespace { lookahead += 1 }
                output += characters[lookahead] == ":" && !["true", "false", "null"].contains(word) ? "\"\(word)\"" : word
            } else {
                output.append(character)
                index += 1
            }
        }
        // Trailing commas before a closing bracket.
        return output.replacingOccurrences(of: #",(\s*[\]}])"#, with: "$1", options: .regularExpression)
    }
}
