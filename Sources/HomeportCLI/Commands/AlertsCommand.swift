import ArgumentParser
import ClusterSpec
import Foundation
import HomeportCore
import Manifests
import SOPSCrypto

/// `homeport alerts test`: proves that a notification reaches a person before one is needed.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Check the alert path of the cluster definition's receiver.",
        subcommands: [Test.self])

    /// The receiver's credential, next to Alertmanager.
    static let secretPath = "cluster/kubernetes/platform/monitoring/alert-receiver.sops.yaml"

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test notification to the receiver in the cluster definition (alerts.receiver).",
            discussion: """
                By default the notification goes straight to the receiver with the credential of \
                \(AlertsCommand.secretPath), decrypted in memory with your age key. With --alertmanager it is \
                posted as an alert to Alertmanager (e.g. through `kubectl -n monitoring port-forward \
                svc/alertmanager-operated 9093`), so it takes the cluster's own route, as real alerts do; \
                e-mail is tested that way. --heartbeat also pings alerts.heartbeatURL. Credentials are never printed.
                """)

        @OptionGroup var repoOptions: RepoOptions

        @Option(help: "The cluster (config/clusters/NAME.yaml); optional when there is only one.")
        var cluster: String?

        @Option(help: "Post a test alert to this Alertmanager (http://HOST:PORT) instead of calling the receiver directly.")
        var alertmanager: String?

        @Flag(help: "Also ping the heartbeat URL (alerts.heartbeatURL).")
        var heartbeat = false

        @Option(help: "The notification's text.")
        var message = "Test notification from homeport: if you read this, alerts reach you."

        @Option(help: .hidden) var pushoverEndpoint = AlertDelivery.pushoverEndpoint

        func run() async throws {
            let root = repoOptions.root
            let loaded = try ClusterWorkspace(root: root).load(named: cluster)
            let definition = try loaded.validDefinition()
            guard let alerts = definition.alerts else {
                throw HomeportError.usage("\(loaded.path) has no alerts section; add `alerts: {receiver: ntfy, heartbeatURL: https://…}` (docs/disaster-recovery.md)",
                                          at: SourceLocation(path: loaded.path))
            }
            let request: AlertDeliveryRequest
            let via: String
            if let alertmanager {
                request = try AlertDelivery.throughAlertmanager(alertmanager, message: message)
                via = "Alertmanager at \(request.destination), which routes it to \(alerts.receiver.rawValue)"
            } else {
                let credentials = try Self.credentials(root: root)
                request = try AlertDelivery.direct(receiver: alerts.receiver, credentials: credentials, message: message,
                                                   pushoverEndpoint: pushoverEndpoint)
                via = "\(alerts.receiver.rawValue) at \(request.destination)"
            }
            try await AlertDelivery.send(request)
            Output.print("sent a test notification to \(via)\n")
            if heartbeat {
                guard let address = alerts.heartbeatURL else {
                    throw HomeportError.usage("--heartbeat: \(loaded.path) has no alerts.heartbeatURL")
                }
                let ping = try AlertDelivery.heartbeat(address)
                try await AlertDelivery.send(ping)
                Output.print("pinged the heartbeat service at \(ping.destination)\n")
            }
        }

        /// The `alert-receiver` Secret's values, decrypted in memory (`stringData`, or base64 `data`).
        static func credentials(root: String) throws -> [String: String] {
            let path = root + "/" + AlertsCommand.secretPath
            guard FileManager.default.fileExists(atPath: path) else {
                throw HomeportError("no \(AlertsCommand.secretPath); it holds the receiver's credential (`homeport init` creates it with placeholders)")
            }
            let plaintext = try SecretsOperations(workingDirectory: root).decrypt(path)
            let stream = YAMLParser.parse(String(decoding: plaintext, as: UTF8.self))
            guard stream.error == nil, let secret = stream.documents.first(where: { $0["kind"]?.string == "Secret" }) else {
                throw HomeportError("\(AlertsCommand.secretPath) holds no Kubernetes Secret", at: SourceLocation(path: AlertsCommand.secretPath))
            }
            var values: [String: String] = [:]
            for entry in secret["data"]?.mapping?.entries ?? [] {
                if let key = entry.key.string, let encoded = entry.value.string, let data = Data(base64Encoded: encoded) {
                    values[key] = String(decoding: data, as: UTF8.self)
                }
            }
            for entry in secret["stringData"]?.mapping?.entries ?? [] {
                if let key = entry.key.string, let value = entry.value.string { values[key] = value }
            }
            return values
        }
    }
}
