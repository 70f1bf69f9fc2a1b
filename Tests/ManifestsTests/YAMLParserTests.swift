import Manifests
import Testing

struct YAMLParserTests {
    @Test func keepsMarksOfKeysAndValues() throws {
        let stream = YAMLParser.parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n")
        let root = try #require(stream.documents.first)
        #expect(root.keyMark("metadata") == Mark(line: 3, column: 1))
        #expect(root[path: "metadata.name"]?.mark == Mark(line: 4, column: 9))
        #expect(root[path: "metadata.name"]?.string == "settings")
    }

    @Test func keepsDocumentsBeforeASyntaxError() {
        let stream = YAMLParser.parse("a: 1\n---\nb: [1, 2\n")
        #expect(stream.documents.count == 1)
        #expect(stream.error?.mark?.line == 4)
    }

    @Test func reportsDuplicateKeysAtTheKey() {
        let stream = YAMLParser.parse("a: 1\nb: 2\na: 3\n")
        #expect(stream.error?.message.contains("duplicate key 'a'") == true)
        #expect(stream.error?.mark?.line == 1)
    }

    @Test(arguments: [
        ("42", ScalarKind.int), ("-7", .int), ("0x1F", .int), ("0o17", .int), ("3.14", .float), ("1e3", .float),
        (".inf", .float), ("true", .bool), ("False", .bool), ("~", .null), ("null", .null), ("", .null),
        ("yes", .string), ("on", .string), ("1.2.3", .string), ("v1.13", .string), ("0x", .string), ("-", .string),
        ("1e", .string), ("0777", .int), ("+12", .int), (".5", .float),
    ])
    func resolvesPlainScalarsWithTheCoreSchema(text: String, kind: ScalarKind) {
        #expect(ScalarKind.resolvePlain(text) == kind)
    }

    @Test func quotedScalarsAreStrings() throws {
        let root = try #require(YAMLParser.parse("a: \"true\"\nb: '1'\nc: true\n").documents.first)
        #expect(root["a"]?.scalar?.kind == .string)
        #expect(root["b"]?.scalar?.kind == .string)
        #expect(root["c"]?.bool == true)
    }

    // `!!str` on a plain scalar cannot be told apart from no tag through the parser's basic
    // resolver, so only tags other than str/seq/map are checked here.
    @Test func explicitTagsWin() throws {
        let root = try #require(YAMLParser.parse("b: !!int '12'\nc: !!bool 'true'\n").documents.first)
        #expect(root["b"]?.int == 12)
        #expect(root["c"]?.bool == true)
    }

    @Test func refusesAliasBombs() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let stream = YAMLParser.parse(text)
        #expect(stream.error?.message.contains("aliases") == true)
    }

    @Test func smallAliasesExpand() throws {
        let root = try #require(YAMLParser.parse("base: &b {x: 1}\ncopy: *b\n").documents.first)
        #expect(root[path: "copy.x"]?.int == 1)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let depth = 20_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let stream = YAMLParser.parse(text)
        #expect(stream.error != nil)
        let block = (0..<3_000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
        #expect(YAMLParser.parse(block).error != nil)
    }

    @Test func errorMessagesDoNotQuoteTheText() {
        let stream = YAMLParser.parse("password: hunter2-very-secret\n  bad: [\n")
        #expect(stream.error != nil)
        #expect(stream.error?.message.contains("hunter2") == false)
    }
}
