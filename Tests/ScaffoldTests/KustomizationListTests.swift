import HomeportCore
@testable import Scaffold
import Testing

struct KustomizationListTests {
    @Test func appendsAfterTheLastItemAndKeepsWhatFollows() throws {
        let text = "---\n# keep me\nresources:\n  - a.yaml\n  # a comment\n  - b.yaml\npatches:\n  - path: p.yaml\n"
        let result = try KustomizationList.appending("c.yaml", to: text, path: "k.yaml")
        #expect(result == "---\n# keep me\nresources:\n  - a.yaml\n  # a comment\n  - b.yaml\n  - c.yaml\npatches:\n  - path: p.yaml\n")
    }

    @Test func followsTheListsIndentation() throws {
        let result = try KustomizationList.appending("c.yaml", to: "resources:\n    - a.yaml\n", path: "k.yaml")
        #expect(result == "resources:\n    - a.yaml\n    - c.yaml\n")
    }

    @Test func startsAListWhenThereIsNone() throws {
        let result = try KustomizationList.appending("c.yaml", to: "kind: Kustomization\n", path: "k.yaml")
        #expect(result == "kind: Kustomization\nresources:\n  - c.yaml\n")
    }

    @Test func refusesADuplicate() {
        #expect(throws: HomeportError.self) {
            try KustomizationList.appending("a.yaml", to: "resources:\n  - ./a.yaml\n", path: "k.yaml")
        }
    }
}
