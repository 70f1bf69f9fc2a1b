import Foundation
import SOPSFormat

/// Who a file is encrypted to and how: key groups of age recipients (several groups split
/// the data key with Shamir), and which values are encrypted.
public struct SOPSKeyPlan: Sendable {
    public var keyGroups: [[AgeRecipient]]
    public var shamirThreshold: Int?
    public var selection: EncryptionSelection
    public var macOnlyEncrypted: Bool

    public init(keyGroups: [[AgeRecipient]], shamirThreshold: Int? = nil,
                selection: EncryptionSelection = .default, macOnlyEncrypted: Bool = false) {
        self.keyGroups = keyGroups
        self.shamirThreshold = shamirThreshold
        self.selection = selection
        self.macOnlyEncrypted = macOnlyEncrypted
    }

    /// The plan a `.sops.yaml` creation rule describes.
    public init(rule: SOPSConfig.CreationRule) throws {
        var groups: [[AgeRecipient]] = []
        for group in rule.keyGroups {
            if !group.otherKeyTypes.isEmpty, group.age.isEmpty {
                throw SOPSError("creation rule \(rule.index + 1) uses \(group.otherKeyTypes.joined(separator: ", ")) keys; homeport supports age recipients only")
            }
            groups.append(try group.age.map { try AgeRecipient(text: $0.value) })
        }
        guard !groups.isEmpty, groups.allSatisfy({ !$0.isEmpty }) else {
            throw SOPSError("creation rule \(rule.index + 1) of .sops.yaml names no age recipient")
        }
        self.init(keyGroups: groups, shamirThreshold: rule.shamirThreshold, selection: rule.effectiveSelection,
                  macOnlyEncrypted: rule.macOnlyEncrypted)
    }

    /// Every recipient, for messages.
    public var recipients: [String] { keyGroups.flatMap { $0.map(\.text) } }
}
