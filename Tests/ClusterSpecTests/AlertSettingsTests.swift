import ClusterSpec
import Manifests
import Testing

@Suite("alerts in the cluster definition")
struct AlertSettingsTests {
    static let alerts = "alerts:\n  receiver: ntfy\n  heartbeatURL: https://hc-ping.com/check-1\n"

    @Test("the reference cluster sends alerts to ntfy with a heartbeat, and cluster-settings carries them")
    func reference() throws {
        let text = try #require(ClusterFixtures.referenceText)
        let definition = try #require(ClusterFixtures.load(text, path: "config/clusters/prox-n100.yaml").definition)
        let alerts = try #require(definition.alerts)
        #expect(alerts.receiver == .ntfy)
        #expect(alerts.heartbeatURL?.hasPrefix("https://") == true)
        let variables = Dictionary(uniqueKeysWithValues: ClusterSettings.variables(definition).map { ($0.key, $0.value) })
        #expect(variables["ALERTS_RECEIVER"] == "ntfy")
        #expect(variables["ALERTS_HEARTBEAT_URL"] == alerts.heartbeatURL)
        #expect(variables["ALERTS_EMAIL_SMARTHOST"] == "smtp.example.invalid:587", "inert when e-mail is not the receiver")
    }

    @Test("e-mail settings decode and reach cluster-settings")
    func email() throws {
        let loaded = ClusterFixtures.load(ClusterFixtures.valid + "alerts:\n  receiver: email\n  email:\n    to: me@example.com\n    from: lab@example.com\n    smarthost: smtp.example.com:587\n")
        #expect(loaded.issues.isEmpty, "\(loaded.issues.map(\.message))")
        let definition = try #require(loaded.definition)
        #expect(definition.alerts?.email == EmailSettings(to: "me@example.com", from: "lab@example.com", smarthost: "smtp.example.com:587"))
        #expect(definition.alerts?.heartbeatURL == nil)
        let variables = Dictionary(uniqueKeysWithValues: ClusterSettings.variables(definition).map { ($0.key, $0.value) })
        #expect(variables["ALERTS_EMAIL_TO"] == "me@example.com")
        #expect(variables["ALERTS_HEARTBEAT_URL"] == "https://heartbeat.example.invalid/")
    }

    @Test("no alerts section: no alert variables")
    func absent() throws {
        let definition = try #require(ClusterFixtures.load(ClusterFixtures.valid).definition)
        #expect(definition.alerts == nil)
        #expect(!ClusterSettings.variables(definition).contains { $0.key.hasPrefix("ALERTS_") })
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var marked: String
        var fragment: String
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "unknown receiver", marked: "alerts:\n  receiver: ↓telegram\n", fragment: "use one of ntfy, discord, slack, pushover, email"),
        Case(label: "a heartbeat that is not a web URL", marked: "alerts:\n  receiver: ntfy\n  heartbeatURL: ↓ftp://hc-ping.com/x\n", fragment: "not an http(s) URL"),
        Case(label: "credentials in the heartbeat URL", marked: "alerts:\n  receiver: ntfy\n  heartbeatURL: ↓https://user:pw@hc.example.com/x\n", fragment: "must not carry a user or password"),
        Case(label: "e-mail without its settings", marked: "alerts:\n  receiver: ↓email\n", fragment: "alerts.email (to, from, smarthost) is required"),
        Case(label: "bad e-mail address", marked: "alerts:\n  receiver: email\n  email:\n    to: ↓me-at-example.com\n    from: lab@example.com\n    smarthost: smtp.example.com:587\n", fragment: "is not an e-mail address"),
        Case(label: "smarthost without port", marked: "alerts:\n  receiver: email\n  email:\n    to: me@example.com\n    from: lab@example.com\n    smarthost: ↓smtp.example.com\n", fragment: "is not HOST:PORT"),
        Case(label: "misspelt key", marked: "alerts:\n  receiver: ntfy\n  ↓heartbeatUrl: https://hc-ping.com/x\n", fragment: "did you mean"),
        Case(label: "missing receiver", marked: "alerts:\n  ↓heartbeatURL: https://hc-ping.com/x\n", fragment: "receiver"),
    ]

    @Test("a wrong alerts section is one error at the right line and column", arguments: cases)
    func errors(_ testCase: Case) throws {
        let marked = MarkedText(ClusterFixtures.valid + testCase.marked)
        let loaded = ClusterFixtures.load(marked.text)
        #expect(loaded.issues.count == 1, "\(loaded.issues.map(\.message))")
        #expect(loaded.issues.first?.message.contains(testCase.fragment) == true, "\(loaded.issues.map(\.message))")
        #expect(loaded.issues.first?.mark == marked.marks.first, "\(loaded.issues.map { "\($0.mark.map { "\($0.line):\($0.column)" } ?? "-") \($0.message)" })")
    }
}
