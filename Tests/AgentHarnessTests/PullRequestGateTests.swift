import Foundation
import Testing
import TestSupport

/// scripts/pr_gate.sh against fake pull_request events: a Renovate bump of the cluster
/// definition passes (derived files regenerated and pushed back), a fork gets the job summary,
/// and the GitHub API is a fake `curl` that checks what it is handed.
@Suite(.serialized) struct PullRequestGateTests {
    /// An origin (bare) holding this repository's HEAD as `main`, and a clone on a new branch.
    struct Setup {
        let scratch: TemporaryRepo
        var origin: String { scratch.root + "/origin.git" }
        var pr: String { scratch.root + "/pr" }
        var bin: String { scratch.root + "/bin" }
        var calls: String { scratch.root + "/curl-calls.log" }
        var summary: String { scratch.root + "/summary.md" }

        init(branch: String) throws {
            scratch = try TemporaryRepo(files: [:])
            try Self.git(["init", "-q", "--bare", origin])
            try Self.git(["-C", SharedData.packageRoot, "push", "-q", origin, "HEAD:refs/heads/main"])
            try Self.git(["clone", "-q", "-b", "main", origin, pr])
            try Self.git(["-C", pr, "checkout", "-q", "-b", branch])
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            // The fake curl: accepts only what pr_gate.sh must send, and logs each call.
            let curl = """
                #!/bin/sh
                log="\(calls)"
                method=GET; url=""; auth=""; body=""
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -X) method="$2"; shift ;;
                    -H) case "$2" in "Authorization: Bearer fake-token") auth=ok ;; esac; shift ;;
                    -d) body="$2"; shift ;;
                    -fsS) ;;
                    http://api.test/*) url="$1" ;;
                    *) echo "fake curl: unexpected argument $1" >&2; exit 64 ;;
                  esac
                  shift
                done
                [ "$auth" = ok ] || { echo "fake curl: no token" >&2; exit 65; }
                case "$method $url" in
                  "GET http://api.test/repos/me/homelab/issues/7/comments?per_page=100") echo '[{"id": 11, "body": "LGTM"}]' ;;
                  "POST http://api.test/repos/me/homelab/issues/7/comments")
                    printf '%s' "$body" | jq -e '.body | startswith("<!-- homeport:pr-gate -->")' >/dev/null || { echo "fake curl: bad body" >&2; exit 66; } ;;
                  *) echo "fake curl: unexpected call $method $url" >&2; exit 67 ;;
                esac
                printf '%s %s %s\\n' "$method" "$url" "$(printf '%s' "$body" | jq -c . 2>/dev/null)" >> "$log"

                """
            try Data(curl.utf8).write(to: URL(fileURLWithPath: bin + "/curl"))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/curl")
        }

        static func git(_ arguments: [String]) throws {
            let result = try TestProcess.run("/usr/bin/env", ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments)
            if result.status != 0 { throw HomeportTestError("git \(arguments.joined(separator: " ")): \(result.standardError)") }
        }

        func event(head: String, headRepo: String) throws -> String {
            let payload: [String: Any] = ["action": "opened", "pull_request": [
                "number": 7,
                "base": ["ref": "main", "sha": "0000000", "repo": ["full_name": "me/homelab"]],
                "head": ["ref": head, "sha": "1111111", "repo": ["full_name": headRepo]],
            ]]
            let path = scratch.root + "/event.json"
            try JSONSerialization.data(withJSONObject: payload).write(to: URL(fileURLWithPath: path))
            return path
        }

        func runGate(event: String) throws -> TestProcess.Result {
            try TestProcess.run("/bin/bash", [SharedData.packageRoot + "/scripts/pr_gate.sh"], environment: [
                "GATE_BASE_DIR": SharedData.packageRoot, "GATE_PR_DIR": pr, "GITHUB_EVENT_PATH": event,
                "GITHUB_TOKEN": "fake-token", "GITHUB_API_URL": "http://api.test", "GITHUB_STEP_SUMMARY": summary,
                "HOMEPORT_BIN": HomeportBinary.path, "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            ])
        }

        /// Bumps talos.version in the cluster definition, as Renovate's regex manager does.
        func bumpTalos() throws -> (old: String, new: String) {
            let path = pr + "/config/clusters/prox-n100.yaml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let old = try #require(text.firstMatch(of: /\n  version: (v\d+\.\d+\.)(\d+)\n/))
            let new = "\(old.1)\(Int(old.2)! + 1)"
            try text.replacingOccurrences(of: "\n  version: \(old.1)\(old.2)\n", with: "\n  version: \(new)\n").write(toFile: path, atomically: true, encoding: .utf8)
            try Self.git(["-C", pr, "commit", "-q", "-am", "chore(deps): update talos to \(new)"])
            return ("\(old.1)\(old.2)", new)
        }
    }

    @Test func aRenovateBumpOfTheClusterDefinitionPasses() throws {
        let setup = try Setup(branch: "renovate/talos")
        let versions = try setup.bumpTalos()
        try Setup.git(["-C", setup.pr, "push", "-q", "origin", "renovate/talos"])
        let result = try setup.runGate(event: setup.event(head: "renovate/talos", headRepo: "me/homelab"))
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
        #expect(!result.standardOutput.contains("::error"))
        // Derived files carry no version Renovate bumps: nothing to regenerate, nothing pushed.
        #expect(!result.standardOutput.contains("regenerated the derived files"))
        let pushed = try TestProcess.run("/usr/bin/env", ["git", "-C", setup.origin, "show", "renovate/talos:config/env/prox-n100.env"])
        #expect(pushed.status == 0 && !pushed.standardOutput.contains(versions.old) && !pushed.standardOutput.contains(versions.new))
        // The comment: a lookup for an earlier one, then a new one.
        let calls = try String(contentsOfFile: setup.calls, encoding: .utf8).split(separator: "\n")
        #expect(calls.count == 2)
        #expect(calls.first?.hasPrefix("GET ") == true)
        #expect(calls.last?.hasPrefix("POST http://api.test/repos/me/homelab/issues/7/comments ") == true)
        #expect(calls.last?.contains("Flux diff against `main`") == true)
        #expect(!FileManager.default.fileExists(atPath: setup.summary))
    }

    @Test func aForkGetsTheSummaryAndItsFindingsFailTheGate() throws {
        let setup = try Setup(branch: "feature")
        // A value the derived files carry (the Flux branch), changed without `cluster sync`.
        let path = setup.pr + "/config/clusters/prox-n100.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\n  branch: main\n"))
        try text.replacingOccurrences(of: "\n  branch: main\n", with: "\n  branch: trunk\n").write(toFile: path, atomically: true, encoding: .utf8)
        try Setup.git(["-C", setup.pr, "commit", "-q", "-am", "flux follows trunk"])
        let result = try setup.runGate(event: setup.event(head: "feature", headRepo: "stranger/homelab"))
        // A fork's branch: nothing is regenerated, so the env file drifts.
        #expect(result.status != 0)
        #expect(result.standardOutput.contains("::error file=config/env/prox-n100.env"), "\(result.standardOutput)")
        let summary = try String(contentsOfFile: setup.summary, encoding: .utf8)
        #expect(summary.hasPrefix("<!-- homeport:pr-gate -->"))
        #expect(summary.contains("**findings**"))
        #expect(summary.contains("```diff"))
        #expect(!FileManager.default.fileExists(atPath: setup.calls), "a fork's read-only token must not be used to comment")
    }

    @Test func aPayloadThatIsNotAPullRequestIsRefused() throws {
        let setup = try Setup(branch: "x")
        let path = setup.scratch.root + "/push.json"
        try Data(#"{"ref": "refs/heads/main"}"#.utf8).write(to: URL(fileURLWithPath: path))
        let result = try setup.runGate(event: path)
        #expect(result.status == 2)
        #expect(result.standardError.contains("not a pull_request event payload"))
    }

    @Test func branchNamesThatCouldInjectAreRefused() throws {
        let setup = try Setup(branch: "y")
        let result = try setup.runGate(event: setup.event(head: "x;curl${IFS}evil", headRepo: "me/homelab"))
        #expect(result.status == 2)
        #expect(result.standardError.contains("unusual branch names"))
    }
}

struct HomeportTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
