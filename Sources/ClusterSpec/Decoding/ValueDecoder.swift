import Manifests

/// Turns one YAML value into a typed value, reporting what is wrong with it (at its mark)
/// and returning nil when it cannot be used.
struct ValueDecoder<Value> {
    /// What the value should be, e.g. `an IPv4 address`.
    var expected: String
    var decode: (_ node: YAMLNode, _ path: String, _ state: DecodingState) -> Value?

    /// A decoder that reads scalar text first, then parses it.
    static func parsing(_ expected: String, _ parse: @escaping (_ text: String) -> Result<Value, ValueProblem>) -> ValueDecoder<Value> {
        ValueDecoder(expected: expected) { node, path, state in
            guard let text = scalarText(node, path: path, expected: expected, state: state) else { return nil }
            switch parse(text) {
            case .success(let value): return value
            case .failure(let problem):
                state.report("\(path): \(DecodingState.quote(text)) \(problem.reason)", at: node.mark)
                return nil
            }
        }
    }

    /// The text of a string-like scalar (numbers count: `version: 4.1` means the text `4.1`).
    static func scalarText(_ node: YAMLNode, path: String, expected: String, state: DecodingState) -> String? {
        guard let scalar = node.scalar, scalar.kind != .bool, scalar.kind != .null else {
            state.report("\(path) must be \(expected), found \(DecodingState.describe(node))", at: node.mark)
            return nil
        }
        return scalar.value
    }
}

extension ValueDecoder where Value == String {
    /// Any non-empty text.
    static var string: ValueDecoder<String> { text("a string") }

    /// Text with a custom description, checked by `check` (which returns why the text is wrong, or nil).
    static func text(_ expected: String, _ check: @escaping (String) -> String? = { _ in nil }) -> ValueDecoder<String> {
        parsing(expected) { text in
            if let reason = check(text) { return .failure(ValueProblem(reason)) }
            return .success(text)
        }
    }
}

extension ValueDecoder where Value == Int {
    static var integer: ValueDecoder<Int> {
        ValueDecoder(expected: "a whole number") { node, path, state in
            guard let scalar = node.scalar, scalar.kind == .int else {
                state.report("\(path) must be a whole number, found \(DecodingState.describe(node))", at: node.mark)
                return nil
            }
            guard let value = Int(scalar.value) else {
                state.report("\(path): \(DecodingState.quote(scalar.value)) is not a decimal whole number that fits in 64 bits", at: node.mark)
                return nil
            }
            return value
        }
    }
}

extension ValueDecoder where Value == Bool {
    static var boolean: ValueDecoder<Bool> {
        ValueDecoder(expected: "true or false") { node, path, state in
            guard let value = node.bool else {
                state.report("\(path) must be true or false, found \(DecodingState.describe(node))", at: node.mark)
                return nil
            }
            return value
        }
    }
}

extension ValueDecoder where Value == IPv4Address {
    static var ipv4: ValueDecoder<IPv4Address> {
        parsing("an IPv4 address such as 192.168.1.10") { text in
            IPv4Address(text).map { .success($0) } ?? .failure(ValueProblem("is not an IPv4 address such as 192.168.1.10"))
        }
    }
}

extension ValueDecoder where Value == IPv4Network {
    /// A CIDR. One with host bits set is reported, and its network is used for the checks
    /// that follow, so one slip does not hide every other problem.
    static var network: ValueDecoder<IPv4Network> {
        let expected = "a CIDR such as 192.168.1.0/24"
        return ValueDecoder(expected: expected) { node, path, state in
            guard let text = scalarText(node, path: path, expected: expected, state: state) else { return nil }
            switch IPv4Network.parse(text) {
            case .success(let network):
                return network
            case .failure(let problem):
                state.report("\(path): '\(text)' \(problem)", at: node.mark)
                if case .hostBitsSet(let network) = problem { return network }
                return nil
            }
        }
    }
}

extension ValueDecoder where Value == IPv4Range {
    static var range: ValueDecoder<IPv4Range> {
        parsing("an address range such as 192.168.1.220-192.168.1.229") { text in
            IPv4Range.parse(text).mapError { ValueProblem($0.description) }
        }
    }
}

extension ValueDecoder where Value == MACAddress {
    static var mac: ValueDecoder<MACAddress> {
        parsing("a MAC address such as BC:24:11:00:02:14") { text in
            guard let mac = MACAddress(text) else { return .failure(ValueProblem("is not a MAC address (six hex pairs separated by colons, e.g. BC:24:11:00:02:14)")) }
            guard !mac.isMulticast else { return .failure(ValueProblem("is a multicast MAC address (the first octet is odd); a VM needs a unicast one such as BC:24:11:…")) }
            return .success(mac)
        }
    }
}

extension ValueDecoder where Value == SemanticVersion {
    static var version: ValueDecoder<SemanticVersion> {
        parsing("a version such as v1.13.9") { text in
            SemanticVersion(text).map { .success($0) } ?? .failure(ValueProblem("is not a version such as v1.13.9 (vMAJOR.MINOR.PATCH)"))
        }
    }
}

extension ValueDecoder where Value == NodeRole {
    static var role: ValueDecoder<NodeRole> {
        let choices = NodeRole.allCases.map(\.rawValue).joined(separator: " or ")
        return parsing(choices) { text in
            NodeRole(rawValue: text).map { .success($0) } ?? .failure(ValueProblem("is not a node role; use \(choices)"))
        }
    }
}

extension ValueDecoder {
    /// A list whose items each decode with `item`; marks are recorded per item. One bad item
    /// makes the whole list unusable (the item is reported).
    static func list<Item>(of item: ValueDecoder<Item>, _ expected: String) -> ValueDecoder<[Item]> where Value == [Item] {
        ValueDecoder<[Item]>(expected: expected) { node, path, state in
            guard let sequence = node.sequence else {
                state.report("\(path) must be \(expected), found \(DecodingState.describe(node))", at: node.mark)
                return nil
            }
            var items: [Item] = []
            var usable = true
            for (index, element) in sequence.items.enumerated() {
                let elementPath = "\(path)[\(index)]"
                state.marks.record(value: element.mark, at: elementPath)
                if DecodingState.isEmpty(element) {
                    state.report("\(elementPath) is empty; it must be \(item.expected)", at: element.mark)
                    usable = false
                } else if let value = item.decode(element, elementPath, state) {
                    items.append(value)
                } else {
                    usable = false
                }
            }
            return usable ? items : nil
        }
    }
}

/// Why a text value cannot be used, completing a sentence that starts with the quoted value.
struct ValueProblem: Error {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
