@testable import Contract
import Testing

/// The shell reader behind the script rules: where commands start and end.
struct ShellScriptTests {
    private func programs(_ text: String) -> [String] {
        ShellScript(text).commands.compactMap(\.program)
    }

    @Test func pipelinesListsAndSubstitutionsSeparateCommands() {
        let script = "kustomize build . | kubectl apply -f - && echo ok; out=$(helm upgrade x y) || true\n"
        #expect(programs(script) == ["kustomize", "kubectl", "echo", "helm", "true"])
    }

    @Test func substitutionsInsideDoubleQuotesAreCommandsToo() {
        let script = "echo start\nout=\"prefix\n$(kubectl apply -f x.yaml)\" other=\"`helm install a b`\"\n"
        let commands = ShellScript(script).commands
        #expect(commands.compactMap(\.program) == ["echo", "kubectl", "helm"])
        #expect(commands.first { $0.program == "kubectl" }?.line == 3)
        #expect(commands.first { $0.program == "helm" }?.line == 3)
    }

    @Test func commentsAreDroppedButHashesInsideWordsStay() {
        let script = "# kubectl apply -f x.yaml\necho a#b # kubectl delete ns a\n"
        let commands = ShellScript(script).commands
        #expect(commands.count == 1)
        #expect(commands.first?.words.map(\.text) == ["echo", "a#b"])
    }

    @Test func continuationLinesKeepTheStartingLine() {
        let script = "set -e\nkubectl \\\n  --context home \\\n  apply -f -\n"
        let command = ShellScript(script).commands.last
        #expect(command?.program == "kubectl")
        #expect(command?.line == 2)
        #expect(command?.words.last?.line == 4)
    }

    @Test func quotesAreRemovedAndMayCrossLines() {
        let script = "echo 'a b' \"c\\\"d\" \"multi\nline\"\nnext\n"
        let commands = ShellScript(script).commands
        #expect(commands.first?.words.map(\.text) == ["echo", "a b", "c\"d", "multi\nline"])
        #expect(commands.last?.program == "next")
        #expect(commands.last?.line == 3)
    }

    @Test func hereDocumentBodiesAreNotCommands() {
        let script = "cat <<-EOF | kubectl apply -f -\n\tkubectl delete ns x\n\tEOF\necho after\n"
        let commands = ShellScript(script).commands
        #expect(commands.compactMap(\.program) == ["cat", "kubectl", "echo"])
        #expect(commands.first?.hereDocuments.first?.bodyLines.map(\.line) == [2])
        #expect(commands.last?.line == 4)
    }

    @Test func redirectionsAndFileDescriptors() {
        let command = ShellScript("talosctl gen config x 2>&1 >> out/log.txt > 'cluster/a.yaml'\n").commands.first
        #expect(command?.redirections.map(\.operatorText) == [">&", ">>", ">"])
        #expect(command?.redirections.map(\.target.text) == ["1", "out/log.txt", "cluster/a.yaml"])
        #expect(command?.words.map(\.text) == ["talosctl", "gen", "config", "x"])
    }

    @Test func wrappersAssignmentsAndKeywordsAreSkipped() {
        #expect(programs("if true; then sudo -u root KUBECONFIG=x /usr/local/bin/kubectl apply -f a; fi\n") == ["true", "kubectl"])
        #expect(programs("find . -name '*.yaml' | xargs -n1 kubectl apply -f\n") == ["find", "kubectl"])
        #expect(programs("timeout 30 env -i helm install a b\n") == ["helm"])
    }

    @Test func shebangsDecideWhatIsAShellScript() {
        #expect(ShellScript.isShellScript(path: "scripts/x", fileExtension: "", isExecutable: false, firstLine: "#!/usr/bin/env -S bash -e"))
        #expect(ShellScript.isShellScript(path: "scripts/x", fileExtension: "", isExecutable: true, firstLine: "set -e"))
        #expect(!ShellScript.isShellScript(path: "scripts/x.py", fileExtension: "py", isExecutable: true, firstLine: "#!/usr/bin/env python3"))
        #expect(!ShellScript.isShellScript(path: "scripts/README.md", fileExtension: "md", isExecutable: false, firstLine: "# Scripts"))
    }

    @Test func neverCrashesOnUnbalancedInput() {
        for text in ["\"unterminated", "'x", "cat <<EOF\nno end", "$(", "${", "\\", ">", "<<", "a |", ")))"] {
            _ = ShellScript(text).commands
        }
    }
}
