import Testing
@testable import Talos

@Suite("go-yaml compatible encoding")
struct GoYAMLEncoderTests {
    @Test("scalars are quoted only when a plain scalar would change type", arguments: [
        ("plain", "plain"), ("", "\"\""), ("true", "\"true\""), ("1.28", "\"1.28\""), ("0x1F", "\"0x1F\""), ("null", "\"null\""),
        ("yes", "\"yes\""), ("2026-11-27", "\"2026-11-27\""), ("a: b", "'a: b'"), ("- x", "'- x'"), ("#x", "'#x'"),
        ("https://base:6443", "https://base:6443"), ("abc=", "abc="), ("tab\there", "\"tab\\there\""),
    ])
    func quoting(text: String, expected: String) {
        #expect(GoYAMLEncoder.scalar(text) == expected)
    }

    @Test("nesting follows go-yaml's four-space layout, including mappings inside lists")
    func layout() {
        let value = ConfigValue.map([
            ("list", .sequence([.map([("name", .string("a")), ("inner", .map([("k", .int(1))])), ("items", .strings(["x"]))])])),
            ("empty", .mapping([])),
            ("none", .sequence([])),
            ("text", .string("line one\nline two\n")),
        ])
        #expect(GoYAMLEncoder.encode(value) == """
            list:
                - name: a
                  inner:
                    k: 1
                  items:
                    - x
            empty: {}
            none: []
            text: |
                line one
                line two

            """)
    }
}
