import ClusterSpec
import Manifests
import Testing

/// Wrong types and mangled text everywhere: the loader reports, it never crashes, and every
/// issue points inside the file.
struct RobustnessTests {
    /// Values of every type, including ones that break integer parsing and marks.
    static let wrongValues = ["{a: 1}", "[1, [2]]", "true", "~", "\"\"", "-1", "99999999999999999999999", "0x1F", "1e400",
                              ".nan", "\"💥 ünïcode\"", "!!binary aGVsbG8=", "&anchor 5", "'single'", "|\n  block\n  text"]

    /// Every `key: value` line of the fixture, as (line index, indentation + key).
    static let valueLines: [(index: Int, prefix: String)] = {
        ClusterFixtures.valid.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            guard let colon = line.firstIndex(of: ":"), line[line.index(after: colon)...].hasPrefix(" ") else { return nil }
            return (index, String(line[...colon]))
        }
    }()

    private func checkIssuesPointInside(_ loaded: LoadedClusterDefinition, lineCount: Int) {
        for issue in loaded.issues {
            #expect(!issue.message.isEmpty)
            if let mark = issue.mark {
                #expect(mark.line >= 1 && mark.line <= lineCount + 1, "\(issue.message) at \(mark)")
                #expect(mark.column >= 1, "\(issue.message) at \(mark)")
            }
        }
    }

    @Test(arguments: wrongValues)
    func wrongValueInEveryPlace(_ value: String) {
        var lines = ClusterFixtures.valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let original = lines
        for place in Self.valueLines {
            lines = original
            let indentation = String(place.prefix.prefix { $0 == " " || $0 == "-" }).replacingOccurrences(of: "-", with: " ")
            lines[place.index] = place.prefix + " " + value.replacingOccurrences(of: "\n", with: "\n" + indentation)
            let text = lines.joined(separator: "\n")
            let loaded = ClusterFixtures.load(text)
            checkIssuesPointInside(loaded, lineCount: lines.count + 3)
            // A mapping or a boolean is never a usable value for any field of the definition.
            if value == "{a: 1}" || value == "true" {
                #expect(!loaded.issues.isEmpty, "line \(place.index + 1) '\(place.prefix) \(value)' was accepted")
                #expect(loaded.definition == nil)
            }
        }
    }

    @Test func everySectionReplacedByEveryType() {
        for section in ["proxmox", "network", "talos", "nodes", "flux", "nfs"] {
            for value in ["[]", "[1, 2]", "7", "text", "true", "{}"] {
                let text = ClusterFixtures.valid.replacingOccurrences(of: "\n\(section):\n", with: "\n\(section): \(value)\nunused_\(section):\n")
                let loaded = ClusterFixtures.load(text)
                #expect(!loaded.isValid, "\(section): \(value) was accepted")
                checkIssuesPointInside(loaded, lineCount: text.split(separator: "\n").count)
            }
        }
    }

    @Test func seededMutationsNeverCrash() {
        var generator = SplitMix64(seed: 0x686F6D65)
        let lines = ClusterFixtures.valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let noise: [Character] = [":", "-", "[", "{", "\"", "'", " ", "#", "&", "*", "!", "|", ">", "x", "9", "\t", "é"]
        var changed = 0
        for _ in 0..<400 {
            var mutated = lines
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<mutated.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: mutated.remove(at: index)
                case 1: mutated.insert(mutated[index], at: index)
                case 2:
                    var line = Array(mutated[index])
                    line.insert(noise[Int.random(in: 0..<noise.count, using: &generator)], at: Int.random(in: 0...line.count, using: &generator))
                    mutated[index] = String(line)
                default: mutated[index] = String(mutated[index].dropFirst(Int.random(in: 0...3, using: &generator)))
                }
                if mutated.isEmpty { mutated = [""] }
            }
            let text = mutated.joined(separator: "\n")
            let loaded = ClusterFixtures.load(text)
            checkIssuesPointInside(loaded, lineCount: mutated.count)
            if text != ClusterFixtures.valid, !loaded.issues.isEmpty { changed += 1 }
            // Whatever survives is either valid or explained.
            #expect(loaded.isValid || !loaded.issues.isEmpty)
        }
        #expect(changed > 200, "most mutations must be noticed (\(changed) of 400)")
    }

    @Test func hugeAndDeepInputs() {
        let manyNodes = (0..<2000).map { index in
            "  - {name: n-\(index), role: worker, address: 10.0.\(index / 250).\(index % 250 + 2), vmid: \(1000 + index), cores: 1, memoryMiB: 1024, diskGiB: 10, mac: \"BC:24:11:00:00:01\"}"
        }.joined(separator: "\n")
        let text = ClusterFixtures.valid.replacingOccurrences(of: "\nflux:\n", with: "\n" + manyNodes + "\nflux:\n")
        let loaded = ClusterFixtures.load(text)
        // 2000 extra nodes share one MAC and most leave the /24: every one is reported.
        #expect(loaded.issues.filter { $0.message.contains(".mac BC:24:11:00:00:01 is already used") }.count == 1999)
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        let deepLoaded = ClusterFixtures.load("name: lab\nnodes: \(deep)\n")
        #expect(!deepLoaded.isValid)
    }
}

/// A small deterministic generator, so a failing mutation can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
