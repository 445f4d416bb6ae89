// swift-tools-version:6.0
import PackageDescription

// Layers (imports only go down): C libraries → CrucibleCore → CrucibleIO → CrucibleEngine → crucible (CLI);
// CrucibleML (the ML potential plugin) sits on CrucibleCore and is registered by the CLI.
let optimize: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "Crucible",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "crucible", targets: ["crucible"]),
        .library(name: "CrucibleEngine", targets: ["CrucibleEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .target(name: "CMemory"),
        .target(name: "CrucibleCore", dependencies: ["COpenBLAS", "CFFTW"], swiftSettings: optimize),
        .target(name: "CrucibleIO", dependencies: ["CrucibleCore", "CHDF5", "Yams"], swiftSettings: optimize),
        .target(name: "CrucibleML", dependencies: ["CrucibleCore", "COpenBLAS"], swiftSettings: optimize),
        .target(name: "CrucibleEngine", dependencies: ["CrucibleCore", "CrucibleIO", "CFFTW"], swiftSettings: optimize),
        .executableTarget(name: "crucible", dependencies: [
            "CrucibleEngine", "CrucibleML", "CMemory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: optimize),
        .testTarget(name: "CrucibleTests", dependencies: ["CrucibleEngine", "CrucibleCore", "CrucibleIO", "CrucibleML", "CFFTW", "COpenBLAS"],
                    resources: [.copy("Resources")]),
    ],
    // Swift 5 mode: the hot loops hand unsafe pointers to worker threads, which strict checking rejects.
    swiftLanguageModes: [.v5]
)
