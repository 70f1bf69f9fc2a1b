import Foundation
import HomeportCore
import Testing
import TestSupport
@testable import HomeportCLI

@Suite("homeport alerts test")
struct AlertsCommandTests {
    @Test("each receiver gets its own wire format, with the credential only where it belongs")
    func requestFormats() throws {
        let ntfy = try AlertDelivery.direct(receiver: .ntfy, credentials: ["url": "https://ntfy.example/topic-s3cret"], message: "hello")
        #expect(ntfy.url.absoluteString == "https://ntfy.example/topic-s3cret" && String(decoding: ntfy.body, as: UTF8.self) == "hello")
        #expect(ntfy.headers["Title"] == "homeport alert test")
        #expect(ntfy.destination == "https://ntfy.example", "the topic (a credential) is not part of what is printed")

        let discord = try AlertDelivery.direct(receiver: .discord, credentials: ["url": "https://discord.example/api/webhooks/1/t"], message: "hi")
        #expect(String(decoding: discord.body, as: UTF8.self) == #"{"content":"hi"}"#)
        let slack = try AlertDelivery.direct(receiver: .slack, credentials: ["url": "https://hooks.slack.example/services/T/B/X"], message: "hi")
        #expect(String(decoding: slack.body, as: UTF8.self) == #"{"text":"hi"}"#)

        let pushover = try AlertDelivery.direct(receiver: .pushover, credentials: ["pushover-user-key": "u1", "pushover-token": "t 2"], message: "a&b")
        #expect(pushover.url.absoluteString == "https://api.pushover.net/1/messages.json")
        #expect(String(decoding: pushover.body, as: UTF8.self) == "token=t%202&user=u1&title=homeport%20alert%20test&message=a%26b")
        #expect(pushover.secrets == ["u1", "t 2"])
    }

    @Test("a missing key and an e-mail receiver are clear errors that print no credential")
    func errors() {
        #expect { try AlertDelivery.direct(receiver: .pushover, credentials: ["pushover-user-key": "u1-secret"], message: "m") } throws: {
            let text = "\($0)"
            return text.contains("'pushover-token'") && !text.contains("u1-secret")
        }
        #expect { try AlertDelivery.direct(receiver: .email, credentials: [:], message: "m") } throws: { "\($0)".contains("--alertmanager") }
        #expect { try AlertDelivery.direct(receiver: .ntfy, credentials: ["url": "ftp://x/y"], message: "m") } throws: { "\($0)".contains("not an http(s) URL") }
    }

    @Test("a test alert for Alertmanager carries a name, a summary and an end, and resolves by itself")
    func alertmanagerPayload() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let request = try AlertDelivery.throughAlertmanager("http://127.0.0.1:9093/", message: "m", now: now)
        #expect(request.url.absoluteString == "http://127.0.0.1:9093/api/v2/alerts")
        let alerts = try #require(try JSONSerialization.jsonObject(with: request.body) as? [[String: Any]])
        #expect((alerts.first?["labels"] as? [String: String])?["alertname"] == "HomeportAlertTest")
        #expect(alerts.first?["endsAt"] as? String == "2027-01-15T08:05:00Z")
    }

    @Test("end to end: the encrypted credential is decrypted in memory, the notification and the heartbeat reach a local stub, the topic is never printed; Alertmanager refusing is an error")
    func endToEnd() throws {
        guard let key = SharedData.path("sops/key.txt") else {
            if SharedData.isCI { Issue.record("missing shared data") }
            return
        }
        let recipient = try #require(try String(contentsOfFile: key, encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("# public key: ") }.map { String($0.dropFirst("# public key: ".count)) })
        let stub = try LoopbackHTTPStub()
        let topic = "homeport-topic-\(UUID().uuidString)"
        let definition = try String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)
            .replacingOccurrences(of: "heartbeatURL: https://hc-ping.com/replace-with-your-check-id", with: "heartbeatURL: \(stub.base)/ping/check-1")
        let repo = try TemporaryRepo(files: [
            "config/clusters/prox-n100.yaml": definition,
            ".sops.yaml": "creation_rules:\n  - path_regex: cluster/kubernetes/.*\\.sops\\.ya?ml$\n    encrypted_regex: ^(data|stringData)$\n    key_groups:\n      - age:\n          - \(recipient)\n",
            AlertsCommand.secretPath: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: alert-receiver\n  namespace: monitoring\nstringData:\n  url: \(stub.base)/\(topic)\n",
        ])
        let environment = ["SOPS_AGE_KEY_FILE": key]
        let encrypt = try HomeportBinary.run(["secrets", "encrypt", "--in-place", AlertsCommand.secretPath], environment: environment, directory: repo.root)
        #expect(encrypt.status == 0, "\(encrypt.standardError)")
        #expect(repo.read(AlertsCommand.secretPath)?.contains(topic) == false, "the credential is encrypted on disk")

        let result = try HomeportBinary.run(["alerts", "test", "--repo", repo.root, "--heartbeat", "--message", "from the test"],
                                            environment: environment, directory: repo.root)
        #expect(result.status == 0, "\(result.standardError)")
        let requests = stub.requests
        #expect(requests.map(\.path) == ["/\(topic)", "/ping/check-1"])
        #expect(requests.first?.method == "POST" && requests.first.map { String(decoding: $0.body, as: UTF8.self) } == "from the test")
        #expect(requests.first?.headers["title"] == "homeport alert test")
        #expect(result.standardOutput.contains("ntfy at \(stub.base)"))
        #expect(!(result.standardOutput + result.standardError).contains(topic), "the topic is a credential and is never printed")

        let failing = try LoopbackHTTPStub(status: 403)
        let alertmanager = try HomeportBinary.run(["alerts", "test", "--repo", repo.root, "--alertmanager", failing.base],
                                                  environment: environment, directory: repo.root)
        #expect(alertmanager.status == 1)
        #expect(alertmanager.standardError.contains("answered HTTP 403"))
        #expect(failing.requests.first?.path == "/api/v2/alerts")
        #expect(failing.requests.first.map { String(decoding: $0.body, as: UTF8.self) }?.contains("HomeportAlertTest") == true)
    }

    @Test("a definition without alerts is a usage error naming the file")
    func noAlerts() throws {
        let definition = try String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)
        let withoutAlerts = String(definition[..<(definition.range(of: "# Where alerts go")?.lowerBound ?? definition.endIndex)])
        let repo = try TemporaryRepo(files: ["config/clusters/prox-n100.yaml": withoutAlerts])
        let result = try HomeportBinary.run(["alerts", "test", "--repo", repo.root])
        #expect(result.status == 2)
        #expect(result.standardError.contains("config/clusters/prox-n100.yaml") && result.standardError.contains("no alerts section"))
    }
}
