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
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
    ],
    targets: [
        .executableTarget(name: "homeport", dependencies: ["HomeportCLI"]),
        .target(
            name: "HomeportCLI",
            dependencies: [
                "HomeportCore", "Manifests", "ClusterSpec", "Contract", "Proxmox", "Bootstrap",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "HomeportCore"),
        .target(name: "Manifests", dependencies: ["HomeportCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "ClusterSpec", dependencies: ["HomeportCore", "Manifests"]),
        .target(name: "Contract", dependencies: ["HomeportCore", "Manifests", "ClusterSpec"]),
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
        .target(name: "TestSupport", dependencies: ["HomeportCore", "Manifests"], path: "Tests/TestSupport"),
        .testTarget(name: "HomeportCoreTests", dependencies: ["HomeportCore"]),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "TestSupport"]),
        .testTarget(name: "ClusterSpecTests", dependencies: ["ClusterSpec", "TestSupport"]),
        .testTarget(name: "ContractTests", dependencies: ["Contract", "TestSupport"]),
        .testTarget(name: "ProxmoxTests", dependencies: ["Proxmox", "ProxmoxSimulator", "TestSupport"]),
        .testTarget(name: "BootstrapTests", dependencies: ["Bootstrap", "HomeportCLI", "ProxmoxSimulator", "TestSupport"]),
        .testTarget(name: "HomeportCLITests", dependencies: ["HomeportCLI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
