/// "Did you mean …?" for unknown keys: a known key that differs only in case, is a few edits
/// away, or is a common alias.
enum KeySuggestion {
    /// Names people write for keys of the cluster definition.
    static let aliases: [String: String] = [
        "ip": "address", "ipAddress": "address", "addr": "address",
        "memory": "memoryMiB", "memoryMB": "memoryMiB", "ram": "memoryMiB",
        "disk": "diskGiB", "diskSize": "diskGiB", "diskGB": "diskGiB",
        "cpu": "cores", "cpus": "cores", "vcpus": "cores",
        "id": "vmid", "vmID": "vmid", "macAddress": "mac",
        "vip": "controlPlaneVIP", "dns": "dnsServers", "nameservers": "dnsServers",
        "url": "repository", "repo": "repository",
        "token": "tokenID", "tokenId": "tokenID",
        "kubernetes": "kubernetesVersion",
    ]

    /// The known key `key` most likely means, if any.
    static func suggestion(for key: String, among known: [String]) -> String? {
        if let alias = aliases[key], known.contains(alias) { return alias }
        if let sameLetters = known.first(where: { $0.lowercased() == key.lowercased() }) { return sameLetters }
        let candidates = known.map { ($0, distance(key.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= max(1, min(3, $0.0.count / 3)) }
            .sorted { $0.1 < $1.1 }
        return candidates.first?.0
    }

    /// Levenshtein edit distance.
    static func distance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs), right = Array(rhs)
        guard !left.isEmpty else { return right.count }
        guard !right.isEmpty else { return left.count }
        var previous = Array(0...right.count)
        for (i, leftCharacter) in left.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: right.count)
            for (j, rightCharacter) in right.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (leftCharacter == rightCharacter ? 0 : 1))
            }
            previous = current
        }
        return previous[right.count]
    }
}
