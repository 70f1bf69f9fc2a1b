// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "homeport",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "homeport", targets: ["homeport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
    ],
    targets: [
        .executableTarget(name: "homeport", dependencies: ["HomeportCLI"]),
        .target(
            name: "HomeportCLI",
            dependencies: [
                "HomeportCore", "Manifests", "ClusterSpec", "Contract", "Kustomize", "Flux", "Scaffold", "SOPSFormat", "SOPSCrypto", "AgentHarness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "HomeportCore"),
        .target(name: "Manifests", dependencies: ["HomeportCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "ClusterSpec", dependencies: ["HomeportCore", "Manifests"]),
        .target(name: "SOPSFormat", dependencies: ["HomeportCore", "Manifests"]),
        .target(
            name: "SOPSCrypto",
            dependencies: [
                "HomeportCore", "Manifests", "SOPSFormat",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(name: "Kustomize", dependencies: ["HomeportCore", "Manifests"]),
        .target(name: "Flux", dependencies: ["HomeportCore", "Manifests", "Kustomize"]),
        .target(name: "Contract", dependencies: ["HomeportCore", "Manifests", "ClusterSpec", "SOPSFormat", "Flux", "Kustomize"]),
        .target(name: "Scaffold", dependencies: ["HomeportCore", "Manifests"]),
        .target(
            name: "AgentHarness",
            dependencies: ["HomeportCore", "Manifests", "Contract", .product(name: "MCP", package: "swift-sdk")]
        ),
        .target(name: "TestSupport", dependencies: ["HomeportCore", "Manifests"], path: "Tests/TestSupport"),
        .testTarget(name: "HomeportCoreTests", dependencies: ["HomeportCore"]),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "TestSupport"]),
        .testTarget(name: "ClusterSpecTests", dependencies: ["ClusterSpec", "TestSupport"]),
        .testTarget(name: "KustomizeTests", dependencies: ["Kustomize", "Manifests", "TestSupport"]),
        .testTarget(name: "FluxTests", dependencies: ["Flux", "Kustomize", "Manifests", "TestSupport"]),
        .testTarget(name: "ContractTests", dependencies: ["Contract", "Flux", "TestSupport"]),
        .testTarget(name: "SOPSFormatTests", dependencies: ["SOPSFormat", "TestSupport"]),
        .testTarget(name: "SOPSCryptoTests", dependencies: ["SOPSCrypto", "SOPSFormat", "TestSupport"]),
        .testTarget(
            name: "AgentHarnessTests",
            dependencies: ["AgentHarness", "TestSupport", .product(name: "MCP", package: "swift-sdk")]
        ),
        .testTarget(name: "HomeportCLITests", dependencies: ["HomeportCLI", "TestSupport"]),
        .testTarget(name: "ReferenceHomelabTests", dependencies: ["Manifests", "TestSupport"]),
        .testTarget(name: "ScaffoldTests", dependencies: ["Scaffold", "Contract", "Manifests", "HomeportCore", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
