/// The Proxmox configuration homeport wants for one VM, and how to compare it with what exists.
public struct DesiredVMConfig: Sendable {
    public let spec: VMSpec
    public let input: ProxmoxPlanInput

    public init(spec: VMSpec, input: ProxmoxPlanInput) {
        self.spec = spec
        self.input = input
    }

    public var tags: [String] { ["homeport", input.clusterName.lowercased(), spec.role.lowercased()] }

    /// The volume id of the boot ISO on image storage.
    public var isoVolume: String { "\(input.imageStorage):iso/\(input.image.filename)" }

    /// Keys homeport manages, with their desired values, in a stable order. `scsi0` is the
    /// create form (`STORAGE:GiB`); an existing disk is compared by storage and size instead.
    public var managedValues: [(key: String, value: String)] {
        baseValues + passthroughValues
    }

    /// A passed-through device is a PCI Express device on the guest's root port, which only
    /// the q35 machine type has (`pcie=1` on the default i440fx machine is refused at start).
    /// Without `pciMapping` neither key is managed: homeport leaves a hand-made passthrough alone.
    public var passthroughValues: [(key: String, value: String)] {
        guard let mapping = spec.pciMapping else { return [] }
        return [("machine", "q35"), ("hostpci0", "mapping=\(mapping),pcie=1")]
    }

    private var baseValues: [(key: String, value: String)] {
        [
            ("name", spec.name),
            ("ostype", "l26"),
            ("cpu", "host"),
            ("sockets", "1"),
            ("cores", String(spec.cores)),
            ("memory", String(spec.memoryMiB)),
            ("balloon", "0"),
            ("scsihw", "virtio-scsi-single"),
            ("scsi0", "\(input.storage):\(spec.diskGiB),discard=on,iothread=1,ssd=1"),
            ("ide2", "\(isoVolume),media=cdrom"),
            ("ide0", "\(input.storage):cloudinit"),
            ("net0", "virtio=\(spec.mac.uppercased()),bridge=\(input.bridge)"),
            ("boot", "order=scsi0;ide2"),
            ("agent", "enabled=1"),
            ("ipconfig0", "ip=\(spec.address)/\(input.prefixLength),gw=\(input.gateway)"),
            ("nameserver", input.nameservers.joined(separator: " ")),
            ("onboot", "1"),
            ("tags", tags.joined(separator: ";")),
        ]
    }

    /// The parameters of `POST /nodes/NODE/qemu`.
    public var createParameters: [String: String] {
        var parameters = Dictionary(uniqueKeysWithValues: managedValues.map { ($0.key, $0.value) })
        parameters["vmid"] = String(spec.vmid)
        return parameters
    }

    /// Whether an existing value already says what `desired` says for `key`.
    public static func matches(key: String, existing: String?, desired: String, input: ProxmoxPlanInput) -> Bool {
        guard let existing, !existing.isEmpty else { return desired.isEmpty }
        switch key {
        case "memory":
            return Int(PropertyString.value("current", in: existing, isDefaultKey: true) ?? "") == Int(desired)
        case "agent":
            let enabled = PropertyString.value("enabled", in: existing, isDefaultKey: true)
            return isTrue(enabled) == isTrue(PropertyString.value("enabled", in: desired, isDefaultKey: true))
        case "onboot":
            return isTrue(existing) == isTrue(desired)
        case "balloon", "sockets", "cores":
            return Int(existing) == Int(desired)
        case "net0":
            return network(existing) == network(desired)
        case "ide2":
            return PropertyString.value("file", in: existing, isDefaultKey: true) == PropertyString.value("file", in: desired, isDefaultKey: true)
        case "ide0":
            let volume = PropertyString.value("file", in: existing, isDefaultKey: true) ?? ""
            return volume.hasPrefix("\(input.storage):") && volume.contains("cloudinit")
        case "ipconfig0":
            return Dictionary(PropertyString.parse(existing).map { ($0.key ?? "", $0.value) }, uniquingKeysWith: { $1 })
                == Dictionary(PropertyString.parse(desired).map { ($0.key ?? "", $0.value) }, uniquingKeysWith: { $1 })
        case "tags":
            return tagSet(existing) == tagSet(desired)
        case "machine":
            // `pc-q35-9.2+pve1` is a pinned q35; `q35` asks for the newest.
            let type = PropertyString.value("type", in: existing, isDefaultKey: true) ?? ""
            return type == desired || type.hasPrefix("pc-q35-") && desired == "q35"
        case "hostpci0":
            return PropertyString.value("mapping", in: existing) == PropertyString.value("mapping", in: desired)
                && isTrue(PropertyString.value("pcie", in: existing)) == isTrue(PropertyString.value("pcie", in: desired))
        case "nameserver":
            return existing.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" }) == desired.split(separator: " ")
        default:
            return existing.trimmingCharacters(in: .whitespaces) == desired
        }
    }

    static func isTrue(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["1", "true", "yes", "on"].contains(value.lowercased())
    }

    /// (model, MAC, bridge) of a `net0` value.
    static func network(_ value: String) -> [String] {
        var model = "", mac = "", bridge = ""
        for (key, item) in PropertyString.parse(value) {
            switch key {
            case nil: model = item
            case "bridge": bridge = item
            case "macaddr": mac = item.uppercased()
            case "model": model = item
            case let name? where item.contains(":"):
                model = name
                mac = item.uppercased()
            default: break
            }
        }
        return [model, mac, bridge]
    }

    public static func tagSet(_ value: String) -> Set<String> {
        Set(value.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }).map { $0.lowercased() })
    }
}

/// An existing disk, read from a value such as `local-lvm:vm-214-disk-0,iothread=1,size=48G`.
public struct ExistingDisk: Sendable, Hashable {
    public var storage: String
    public var sizeGiB: Int?

    public init?(_ value: String) {
        guard let volume = PropertyString.value("file", in: value, isDefaultKey: true),
              let colon = volume.firstIndex(of: ":") else { return nil }
        storage = String(volume[..<colon])
        sizeGiB = PropertyString.value("size", in: value).flatMap(PropertyString.gibibytes)
    }
}
