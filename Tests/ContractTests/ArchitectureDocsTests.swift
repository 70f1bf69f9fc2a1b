import Contract
import Foundation
import Testing
import TestSupport

struct ArchitectureDocsTests {
    @Test func markersAreReadAndReplaced() {
        let text = "intro\n<!-- homeport:begin a -->\nold\n<!-- homeport:end a -->\nmiddle\n<!-- homeport:begin b -->\n<!-- homeport:end b -->\nend"
        let sections = GeneratedSections(text: text)
        #expect(sections.sections.map(\.name) == ["a", "b"])
        #expect(sections.sections.first?.content == "old\n")
        #expect(sections.sections.first?.line == 2)
        let replaced = sections.replacing(["a": "new 1\nnew 2\n", "b": "x\n"])
        #expect(replaced == "intro\n<!-- homeport:begin a -->\nnew 1\nnew 2\n<!-- homeport:end a -->\nmiddle\n<!-- homeport:begin b -->\nx\n<!-- homeport:end b -->\nend")
        #expect(sections.problems.isEmpty)
    }

    @Test func brokenMarkersAreProblemsWithLines() {
        let sections = GeneratedSections(text: "<!-- homeport:end a -->\n<!-- homeport:begin b -->\ntext\n")
        #expect(sections.problems.map(\.line) == [1, 2])
    }

    /// A node address changes: `docs --check` fails until `homeport docs` runs.
    @Test func changingANodeAddressMakesDocsStaleUntilRegenerated() throws {
        let repo = try TemporaryRepo()
        for folder in ["config", "docs", "cluster"] {
            try repo.copy(from: SharedData.packageRoot + "/" + folder, to: folder)
        }
        #expect(try HomeportBinary.run(["docs", "--check", "--repo", repo.root]).status == 0, "the committed docs are current")
        let definition = "config/clusters/prox-n100.yaml"
        try repo.write(definition, (repo.read(definition) ?? "").replacingOccurrences(of: "address: 192.168.1.215", with: "address: 192.168.1.216"))
        let stale = try HomeportBinary.run(["docs", "--check", "--repo", repo.root])
        #expect(stale.status == 1)
        #expect(stale.standardError.contains("section 'vms'"))
        #expect(stale.standardError.contains("section 'topology'"))
        let check = try HomeportBinary.run(["check", "--repo", repo.root, "--only", "docs.layout-drift"])
        #expect(check.standardOutput.contains("docs/architecture.md:"))
        #expect(try HomeportBinary.run(["docs", "--repo", repo.root]).status == 0)
        #expect(try HomeportBinary.run(["docs", "--check", "--repo", repo.root]).status == 0)
        #expect(repo.read("docs/architecture.md")?.contains("192.168.1.216") == true)
    }
}
