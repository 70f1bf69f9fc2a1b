import Contract
import HomeportCore
import Manifests
import Testing

/// Every rule's examples, run as tests: a rule cannot ship without them.
struct RuleExampleTests {
    static let rules: [RuleCase] = RuleRegistry.all.map { RuleCase(rule: $0) }

    struct RuleCase: CustomTestStringConvertible, Sendable {
        let rule: any Rule.Type
        var testDescription: String { rule.description.id }
    }

    @Test(arguments: rules)
    func everyRuleHasExamples(_ ruleCase: RuleCase) {
        let description = ruleCase.rule.description
        #expect(!description.triggeringExamples.isEmpty, "\(description.id) has no triggering example")
        #expect(!description.nonTriggeringExamples.isEmpty, "\(description.id) has no non-triggering example")
    }

    @Test(arguments: rules)
    func nonTriggeringExamplesPass(_ ruleCase: RuleCase) {
        let description = ruleCase.rule.description
        for example in description.nonTriggeringExamples {
            let findings = run(ruleCase.rule, on: example)
            #expect(findings.isEmpty, "\(description.id) / \(example.label): \(findings.map { "\($0.location.description) \($0.message)" })")
        }
    }

    @Test(arguments: rules)
    func triggeringExamplesFindExactlyTheMarkedPlaces(_ ruleCase: RuleCase) {
        let description = ruleCase.rule.description
        for example in description.triggeringExamples {
            let expected = example.expectedLocations.map { "\($0.path):\($0.line.map(String.init) ?? "-")" }.sorted()
            #expect(!expected.isEmpty, "\(description.id) / \(example.label) marks no finding")
            let findings = run(ruleCase.rule, on: example)
            let actual = findings.map { "\($0.location.path):\($0.location.line.map(String.init) ?? "-")" }.sorted()
            #expect(actual == expected, "\(description.id) / \(example.label): \(findings.map(\.message))")
            #expect(findings.allSatisfy { $0.ruleID == description.id })
        }
    }

    private func run(_ rule: any Rule.Type, on example: RuleExample) -> [Finding] {
        let snapshot = example.snapshot
        return Checker(rules: [rule]).check(snapshot)
    }
}
