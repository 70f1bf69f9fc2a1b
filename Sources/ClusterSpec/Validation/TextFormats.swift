import Foundation

/// Checks of single text values. Each returns why the text is wrong (completing a sentence
/// that starts with the quoted value), or nil when it is fine.
enum TextFormats {
    /// A DNS label (RFC 1123): 1–63 lower-case letters, digits and `-`, starting and ending
    /// with a letter or digit. Cluster and node names become host names, so they must be one.
    static func dnsLabel(_ text: String) -> String? {
        guard !text.isEmpty, text.count <= 63 else { return "is not a DNS label (1 to 63 characters)" }
        guard text.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            return "is not a DNS label: use lower-case letters, digits and '-'"
        }
        guard text.first != "-", text.last != "-" else { return "is not a DNS label: it must start and end with a letter or digit" }
        return nil
    }

    /// A DNS name: dot-separated labels, at most 253 characters (letters of either case).
    static func dnsName(_ text: String) -> String? {
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        guard !name.isEmpty, name.count <= 253 else { return "is not a DNS name (1 to 253 characters)" }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard dnsLabel(label.lowercased()) == nil else { return "is not a DNS name such as example.com ('\(label)' is not a valid label)" }
        }
        return nil
    }

    /// The Proxmox API URL: `https://HOST[:PORT][/]`.
    static func httpsEndpoint(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return "is not a URL such as https://192.168.1.10:8006"
        }
        guard scheme == "https" else { return "must use https (the Proxmox API is served over TLS), e.g. https://192.168.1.10:8006" }
        guard let host = components.host, !host.isEmpty else { return "has no host; write it like https://192.168.1.10:8006" }
        guard components.user == nil, components.password == nil else { return "must not carry credentials; use proxmox.tokenID and PROXMOX_TOKEN_SECRET" }
        guard components.query == nil, components.path.isEmpty || components.path == "/" else {
            return "must be the server's address only (https://HOST:PORT), without a path"
        }
        return nil
    }

    /// A Git URL Flux can fetch: `ssh://`, `https://` or `http://`.
    static func gitURL(_ text: String) -> String? {
        if text.contains("@"), !text.contains("://") {
            return "is an scp-style address, which Flux does not accept; write ssh://git@HOST/OWNER/REPO.git"
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              ["ssh", "https", "http"].contains(scheme), let host = components.host, !host.isEmpty else {
            return "is not a Git URL Flux can fetch (ssh://git@HOST/OWNER/REPO.git or https://HOST/OWNER/REPO.git)"
        }
        guard components.password == nil else { return "must not carry a password; Flux reads credentials from a Secret" }
        return nil
    }

    /// A path inside the repository: relative, without `..`.
    static func repositoryPath(_ text: String) -> String? {
        guard !text.hasPrefix("/") else { return "must be relative to the repository root, not absolute" }
        guard !text.split(separator: "/").contains("..") else { return "must stay inside the repository (no '..')" }
        return nil
    }

    /// An absolute path, such as an NFS export or a disk device.
    static func absolutePath(_ text: String) -> String? {
        guard text.hasPrefix("/") else { return "must be an absolute path starting with /" }
        guard !text.contains(where: { $0.isWhitespace }) else { return "must not contain spaces" }
        return nil
    }

    /// The install disk, a device under /dev.
    static func diskDevice(_ text: String) -> String? {
        guard text.hasPrefix("/dev/"), text.count > 5, !text.contains(where: { $0.isWhitespace }) else {
            return "is not a disk device such as /dev/sda"
        }
        return nil
    }

    /// A Proxmox API token id, `USER@REALM!TOKENNAME`.
    static func tokenID(_ text: String) -> String? {
        let parts = text.split(separator: "!", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[0].contains("@"), !parts[0].hasPrefix("@"), !parts[0].hasSuffix("@")
        else { return "is not a Proxmox API token id such as homeport@pve!homeport (USER@REALM!TOKENNAME)" }
        return nil
    }

    /// A SHA-256 certificate fingerprint: 32 hex pairs separated by colons.
    static func fingerprint(_ text: String) -> String? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 32, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) else {
            return "is not a SHA-256 fingerprint (32 hex pairs separated by colons, AA:BB:…)"
        }
        return nil
    }

    /// A Proxmox identifier (node, storage, bridge, PCI mapping): letters, digits, `-`, `_`, `.`.
    static func proxmoxIdentifier(_ text: String) -> String? {
        guard let first = text.first, first.isASCII, first.isLetter,
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else { return "is not a Proxmox identifier (a letter, then letters, digits, '-', '_' or '.')" }
        return nil
    }

    /// An Image Factory extension name, `OWNER/NAME`.
    static func extensionName(_ text: String) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) } })
        else { return "is not a system extension name such as siderolabs/qemu-guest-agent" }
        return nil
    }

    /// A Git branch name (no spaces or characters Git refuses).
    static func branchName(_ text: String) -> String? {
        let forbidden: Set<Character> = [" ", "~", "^", ":", "?", "*", "[", "\\"]
        guard !text.contains(where: { forbidden.contains($0) || $0.isNewline }), !text.hasPrefix("-"), !text.contains("..") else {
            return "is not a Git branch name"
        }
        return nil
    }

    /// NFS protocol versions a Synology NAS and Linux clients speak.
    static let nfsVersions = ["3", "4", "4.0", "4.1", "4.2"]

    static func nfsVersion(_ text: String) -> String? {
        nfsVersions.contains(text) ? nil : "is not an NFS version; use one of \(nfsVersions.joined(separator: ", "))"
    }

    /// An NFS server: an IPv4 address or a host name.
    static func host(_ text: String) -> String? {
        if IPv4Address(text) != nil { return nil }
        if text.allSatisfy({ $0.isNumber || $0 == "." }) { return "is not an IPv4 address" }
        return dnsName(text) == nil ? nil : "is neither an IPv4 address nor a host name"
    }

    /// The heartbeat (dead-man's switch) URL: http or https (a self-hosted Uptime Kuma on the
    /// LAN often has no TLS), a host, no user or password in it.
    static func heartbeatURL(_ text: String) -> String? {
        guard let components = URLComponents(string: text), ["https", "http"].contains(components.scheme?.lowercased() ?? ""),
              let host = components.host, !host.isEmpty else {
            return "is not an http(s) URL such as https://hc-ping.com/<uuid>"
        }
        guard components.user == nil, components.password == nil else {
            return "must not carry a user or password; a heartbeat URL identifies the check by its path"
        }
        return nil
    }

    /// A plain e-mail address: `local@domain`.
    static func emailAddress(_ text: String) -> String? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(" "), dnsName(String(parts[1])) == nil else {
            return "is not an e-mail address such as alerts@example.com"
        }
        return nil
    }

    /// `HOST:PORT`, e.g. `smtp.example.com:587`.
    static func hostAndPort(_ text: String) -> String? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port),
              host(String(text[..<colon])) == nil else {
            return "is not HOST:PORT such as smtp.example.com:587"
        }
        return nil
    }
}
