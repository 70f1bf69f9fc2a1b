/// Where a JSON text stops being JSON, so `ai init` can name the line of a broken config
/// instead of overwriting it. (Foundation's parser says that a file is broken, not where.)
struct JSONSyntaxError: Error, Equatable {
    var line: Int
    var column: Int
    var message: String

    /// The first syntax error of the text, or nil when it is valid JSON.
    static func find(in text: String) -> JSONSyntaxError? {
        var scanner = Scanner(bytes: Array(text.utf8))
        do throws(JSONSyntaxError) {
            scanner.skipSpace()
            try scanner.value(depth: 0)
            scanner.skipSpace()
            if scanner.index < scanner.bytes.count { throw scanner.error("text after the end of the JSON value") }
            return nil
        } catch {
            return error
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ message: String) -> JSONSyntaxError {
            var line = 1
            var column = 1
            for byte in bytes[..<min(index, bytes.count)] {
                if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            }
            return JSONSyntaxError(line: line, column: column, message: message)
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func expect(_ character: Character) throws(JSONSyntaxError) {
            guard current == character.asciiValue else { throw error("expected '\(character)'") }
            index += 1
        }

        mutating func value(depth: Int) throws(JSONSyntaxError) {
            guard depth < 512 else { throw error("nesting is too deep") }
            guard let byte = current else { throw error("unexpected end of the file") }
            switch byte {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw error("unexpected character '\(Character(UnicodeScalar(byte)))'")
            }
        }

        mutating func object(depth: Int) throws(JSONSyntaxError) {
            index += 1
            skipSpace()
            if current == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
                try string()
                skipSpace()
                try expect(":")
                skipSpace()
                try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "}") { index += 1; return }
                throw error("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(JSONSyntaxError) {
            index += 1
            skipSpace()
            if current == UInt8(ascii: "]") { index += 1; return }
            while true {
                skipSpace()
                try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "]") { index += 1; return }
                throw error("expected ',' or ']'")
            }
        }

        mutating func string() throws(JSONSyntaxError) {
            index += 1
            while let byte = current {
                index += 1
                if byte == UInt8(ascii: "\"") { return }
                if byte == UInt8(ascii: "\\") {
                    guard current != nil else { break }
                    index += 1
                } else if byte < 0x20 {
                    index -= 1
                    throw error("a control character inside a string")
                }
            }
            throw error("a string that never ends")
        }

        mutating func literal(_ word: String) throws(JSONSyntaxError) {
            for expected in word.utf8 {
                guard current == expected else { throw error("expected '\(word)'") }
                index += 1
            }
        }

        mutating func number() throws(JSONSyntaxError) {
            let start = index
            while let byte = current, "+-0123456789.eE".utf8.contains(byte) { index += 1 }
            if index == start || (index == start + 1 && bytes[start] == UInt8(ascii: "-")) { throw error("a malformed number") }
        }
    }
}
