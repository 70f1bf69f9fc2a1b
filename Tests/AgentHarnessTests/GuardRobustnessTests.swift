import Foundation
import Testing
@testable import AgentHarness

/// A crashing hook exits with a signal, which hook clients treat as "let it through". These
/// tests feed the parser and the guard mangled input to show they answer instead of crashing.
@Suite struct GuardRobustnessTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    static let alphabet = Array("ab/.~-$`'\"\\|&;<>(){}[]*? \t\n#=0123456789EOF")

    @Test func mangledCommandsAlwaysGetADecision() {
        var generator = Generator(state: 42)
        let seeds = ShellTable.rows.map(\.1)
        let policy = CommandPolicy(writes: WritePolicy(root: GuardFixture.root), secrets: SecretScreen(root: GuardFixture.root))
        var denied = 0
        for round in 0..<600 {
            var characters = Array(seeds[round % seeds.count])
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where !characters.isEmpty:
                    characters.remove(at: Int.random(in: 0..<characters.count, using: &generator))
                case 1:
                    characters.insert(Self.alphabet.randomElement(using: &generator) ?? "x", at: Int.random(in: 0...characters.count, using: &generator))
                default:
                    characters = Array(characters.prefix(Int.random(in: 0...characters.count, using: &generator)))
                }
            }
            let decision = policy.evaluate(String(characters), cwd: GuardFixture.root).decision
            if !decision.isAllowed {
                denied += 1
                #expect(decision.ruleID != nil)
            }
        }
        #expect(denied > 0)
    }

    @Test func mangledPayloadsAreDenied() {
        var generator = Generator(state: 7)
        let payload = Array(Claude.write("docs/x.md"))
        let guardian = HookGuard(client: .claude, repoRoot: GuardFixture.root)
        for _ in 0..<150 {
            let cut = Int.random(in: 0..<payload.count, using: &generator)
            let outcome = guardian.run(input: Data(String(payload.prefix(cut)).utf8))
            #expect(outcome.exitCode == 2)
        }
    }
}
