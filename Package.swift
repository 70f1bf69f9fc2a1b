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
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
    ],
    targets: [
        .executableTarget(name: "homeport", dependencies: ["HomeportCLI"]),
        .target(
            name: "HomeportCLI",
            dependencies: [
                "HomeportCore", "Manifests", "ClusterSpec", "Contract", "AgentHarness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "HomeportCore"),
        .target(name: "Manifests", dependencies: ["HomeportCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "ClusterSpec", dependencies: ["HomeportCore", "Manifests"]),
        .target(name: "Contract", dependencies: ["HomeportCore", "Manifests", "ClusterSpec"]),
        .target(
            name: "AgentHarness",
            dependencies: ["HomeportCore", "Manifests", "Contract", .product(name: "MCP", package: "swift-sdk")]
        ),
        .target(name: "TestSupport", dependencies: ["HomeportCore", "Manifests"], path: "Tests/TestSupport"),
        .testTarget(name: "HomeportCoreTests", dependencies: ["HomeportCore"]),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "TestSupport"]),
        .testTarget(name: "ClusterSpecTests", dependencies: ["ClusterSpec", "TestSupport"]),
        .testTarget(name: "ContractTests", dependencies: ["Contract", "TestSupport"]),
        .testTarget(
            name: "AgentHarnessTests",
            dependencies: ["AgentHarness", "TestSupport", .product(name: "MCP", package: "swift-sdk")]
        ),
        .testTarget(name: "HomeportCLITests", dependencies: ["HomeportCLI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
