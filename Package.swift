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
    ],
    targets: [
        .executableTarget(name: "homeport", dependencies: ["HomeportCLI"]),
        .target(
            name: "HomeportCLI",
            dependencies: [
                "HomeportCore", "Manifests", "ClusterSpec", "Contract", "Kustomize", "Flux",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "HomeportCore"),
        .target(name: "Manifests", dependencies: ["HomeportCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "ClusterSpec", dependencies: ["HomeportCore", "Manifests"]),
        .target(name: "Kustomize", dependencies: ["HomeportCore", "Manifests"]),
        .target(name: "Flux", dependencies: ["HomeportCore", "Manifests", "Kustomize"]),
        .target(name: "Contract", dependencies: ["HomeportCore", "Manifests", "ClusterSpec", "Flux", "Kustomize"]),
        .target(name: "TestSupport", dependencies: ["HomeportCore", "Manifests"], path: "Tests/TestSupport"),
        .testTarget(name: "HomeportCoreTests", dependencies: ["HomeportCore"]),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "TestSupport"]),
        .testTarget(name: "ClusterSpecTests", dependencies: ["ClusterSpec", "TestSupport"]),
        .testTarget(name: "KustomizeTests", dependencies: ["Kustomize", "Manifests", "TestSupport"]),
        .testTarget(name: "FluxTests", dependencies: ["Flux", "Kustomize", "Manifests", "TestSupport"]),
        .testTarget(name: "ContractTests", dependencies: ["Contract", "Flux", "TestSupport"]),
        .testTarget(name: "HomeportCLITests", dependencies: ["HomeportCLI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
