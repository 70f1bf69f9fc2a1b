// swift-tools-version: 6.2
import PackageDescription

// Dependencies point one way (docs: DESIGN "Architecture"); each heavy package sits in the one
// module that needs it: Yams in Manifests, swift-crypto in SOPSCrypto/Talos (and Proxmox for a
// certificate fingerprint), swift-certificates in Talos, async-http-client and NIO in Proxmox,
// the MCP SDK in AgentHarness, ArgumentParser in HomeportCLI.
let package = Package(
    name: "homeport",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "homeport", targets: ["homeport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
    ],
    targets: [
        .executableTarget(name: "homeport", dependencies: ["HomeportCLI"]),
        .target(
            name: "HomeportCLI",
            dependencies: [
                "HomeportCore", "Manifests", "ClusterSpec", "Contract", "Kustomize", "Flux", "Scaffold",
                "SOPSFormat", "SOPSCrypto", "Talos", "Proxmox", "Bootstrap", "AgentHarness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "HomeportCore"),
        .target(name: "Manifests", dependencies: ["HomeportCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "ClusterSpec", dependencies: ["HomeportCore", "Manifests"]),
        .target(name: "Kustomize", dependencies: ["HomeportCore", "Manifests"]),
        .target(name: "Flux", dependencies: ["HomeportCore", "Manifests", "Kustomize"], exclude: ["Schema/Builtin/LICENSE-crd-catalog"]),
        .target(name: "SOPSFormat", dependencies: ["HomeportCore", "Manifests"]),
        .target(
            name: "SOPSCrypto",
            dependencies: [
                "HomeportCore", "Manifests", "SOPSFormat",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(name: "Contract", dependencies: ["HomeportCore", "Manifests", "ClusterSpec", "SOPSFormat", "Flux", "Kustomize"]),
        .target(name: "Scaffold", dependencies: ["HomeportCore", "Manifests"]),
        .target(
            name: "Talos",
            dependencies: [
                "HomeportCore", "Manifests", "ClusterSpec",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "Proxmox",
            dependencies: [
                "HomeportCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Bootstrap",
            dependencies: [
                "HomeportCore", "Manifests", "ClusterSpec", "Proxmox",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "AgentHarness",
            dependencies: ["HomeportCore", "Manifests", "Contract", .product(name: "MCP", package: "swift-sdk")]
        ),
        .target(name: "TestSupport", dependencies: ["HomeportCore", "Manifests"], path: "Tests/TestSupport"),
        .target(
            name: "ProxmoxSimulator",
            dependencies: [
                "HomeportCore", "Proxmox",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Tests/ProxmoxSimulator"
        ),
        .testTarget(name: "HomeportCoreTests", dependencies: ["HomeportCore"]),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "TestSupport"]),
        .testTarget(name: "ClusterSpecTests", dependencies: ["ClusterSpec", "TestSupport"]),
        .testTarget(name: "KustomizeTests", dependencies: ["Kustomize", "Manifests", "TestSupport"]),
        .testTarget(name: "FluxTests", dependencies: ["Flux", "Kustomize", "Manifests", "TestSupport"]),
        .testTarget(name: "ContractTests", dependencies: ["Contract", "Flux", "TestSupport"]),
        .testTarget(name: "SOPSFormatTests", dependencies: ["SOPSFormat", "TestSupport"]),
        .testTarget(name: "SOPSCryptoTests", dependencies: ["SOPSCrypto", "SOPSFormat", "TestSupport"]),
        .testTarget(
            name: "TalosTests",
            dependencies: [
                "Talos", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(name: "ProxmoxTests", dependencies: ["Proxmox", "ProxmoxSimulator", "TestSupport"]),
        .testTarget(name: "BootstrapTests", dependencies: ["Bootstrap", "HomeportCLI", "ProxmoxSimulator", "TestSupport"]),
        .testTarget(
            name: "AgentHarnessTests",
            dependencies: ["AgentHarness", "TestSupport", .product(name: "MCP", package: "swift-sdk")]
        ),
        .testTarget(name: "ScaffoldTests", dependencies: ["Scaffold", "Contract", "Manifests", "HomeportCore", "TestSupport"]),
        .testTarget(name: "ReferenceHomelabTests", dependencies: ["Manifests", "TestSupport"]),
        .testTarget(name: "HomeportCLITests", dependencies: ["HomeportCLI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
