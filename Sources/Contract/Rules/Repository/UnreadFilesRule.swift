import HomeportCore
import Manifests

/// `repo.unread`: every file the scanner could not read is named, with what was not checked.
struct UnreadFilesRule: Rule {
    static let description = RuleDescription(
        id: "repo.unread",
        summary: "Every file homeport could not read is reported with what was not checked: files over the size limit, unreadable files and folders, symbolic link loops, dangling links, links to folders and links out of the repository (never followed).",
        rationale: "A check that skips a file silently is a check people stop trusting; a link out of the repository is never followed, so a pull request cannot make the checker print files of the machine it runs on.",
        contractSections: ["10"],
        defaultSeverity: .warning,
        nonTriggeringExamples: [
            RuleExample("readable files, binary files included", files: [
                "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
            ], unreadFiles: ["docs/diagram.png": .binary]),
        ],
        triggeringExamples: [
            RuleExample("a huge file and a link out of the repository", files: [:], expectedPaths: [
                "cluster/kubernetes/apps/demo/dump.yaml", "cluster/kubernetes/apps/demo/passwd.yaml",
            ], unreadFiles: [
                "cluster/kubernetes/apps/demo/dump.yaml": .tooLarge(50 * 1024 * 1024),
                "cluster/kubernetes/apps/demo/passwd.yaml": .unreadable("a symbolic link to /etc/passwd, outside the repository; it was not followed and nothing behind it was checked"),
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        context.snapshot.files.compactMap { file in
            switch file.content {
            case .tooLarge(let size):
                return finding("\(file.name) is \(Self.megabytes(size)), over the \(Self.megabytes(RepoScanner().maximumFileSize)) limit: it was not read, so no rule (YAML, Flux, secrets) checked it", at: file.path)
            case .unreadable(let reason):
                return finding("\(file.name) was not checked: \(reason)", at: file.path)
            case .text, .binary, .notUTF8:
                return nil
            }
        }
    }

    static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
