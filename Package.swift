// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "hookflow",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Hookflow", targets: ["Hookflow"]),
        .library(name: "HookflowFluent", targets: ["HookflowFluent"]),
        .library(name: "HookflowVapor", targets: ["HookflowVapor"]),
        .executable(name: "hookflow-demo", targets: ["HookflowDemo"]),
        .executable(name: "hookflow-bench", targets: ["HookflowBench"]),
        .executable(name: "hookflow-qstash-dev", targets: ["HookflowQStashDevServer"]),
        .library(name: "HookflowQStash", targets: ["HookflowQStash"]),
        .library(name: "HookflowTesting", targets: ["HookflowTesting"]),
        .library(name: "HookflowGitHub", targets: ["HookflowGitHub"]),
        .library(name: "HookflowGitHubVapor", targets: ["HookflowGitHubVapor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.1.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
    ],
    targets: [
        .target(
            name: "Hookflow",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .target(
            name: "HookflowFluent",
            dependencies: [
                "Hookflow",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                // Its C target, VaporCSQLite, is the SQLite the store calls directly.
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "HookflowQStash",
            dependencies: [
                "Hookflow",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "HookflowGitHub",
            dependencies: [
                "Hookflow",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "HookflowTesting",
            dependencies: ["Hookflow", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "QStashDevServer",
            dependencies: [
                "HookflowQStash",
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
        .executableTarget(
            name: "HookflowQStashDevServer",
            dependencies: [
                "QStashDevServer",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "HookflowDashboard",
            dependencies: ["Hookflow", .product(name: "Crypto", package: "swift-crypto")],
            // The dashboard's stylesheet and script.
            resources: [.copy("Assets")]
        ),
        .target(
            name: "HookflowVapor",
            dependencies: [
                "Hookflow",
                "HookflowDashboard",
                "HookflowFluent",
                "HookflowQStash",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "HookflowGitHubVapor",
            dependencies: [
                "Hookflow",
                "HookflowVapor",
                "HookflowGitHub",
                // Its stateless store's events error, which the webhook answers with 202.
                "HookflowQStash",
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
        .executableTarget(
            name: "HookflowDemo",
            dependencies: [
                "HookflowVapor",
                "HookflowGitHubVapor",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(
            name: "HookflowBench",
            dependencies: [
                "Hookflow",
                "HookflowDashboard",
                "HookflowFluent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .executableTarget(
            name: "HookflowCrashFixture",
            dependencies: [
                "Hookflow", "HookflowFluent",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Tests/HookflowCrashFixture"
        ),
        .testTarget(
            name: "HookflowTests",
            dependencies: ["Hookflow"]
        ),
        .testTarget(
            name: "HookflowFluentTests",
            dependencies: [
                "Hookflow", "HookflowFluent", "HookflowCrashFixture", "HookflowBench",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        .target(
            name: "UpstashSDK",
            path: "Tests/UpstashSDK"
        ),
        .target(
            name: "GitHubFake",
            dependencies: ["Hookflow", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            path: "Tests/GitHubFake",
            exclude: ["github_fake.py", "selftest.py", "github-actions-openapi-subset.json"]
        ),
        .testTarget(
            name: "HookflowGitHubTests",
            dependencies: [
                "HookflowGitHub",
                "HookflowFluent",
                "GitHubFake",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "HookflowPropertyTests",
            dependencies: [
                "Hookflow", "HookflowFluent", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "HookflowTestingTests",
            dependencies: ["Hookflow", "HookflowTesting", "HookflowFluent"]
        ),
        .testTarget(
            name: "HookflowQStashTests",
            dependencies: [
                "UpstashSDK",
                "HookflowQStash",
                "QStashDevServer",
                // Tokens made by another implementation, to check ours against.
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "XCTVapor", package: "vapor"),
            ]
        ),
        .testTarget(
            name: "HookflowVaporTests",
            dependencies: [
                "HookflowVapor",
                "HookflowFluent",
                "HookflowDemo",
                "HookflowQStashDevServer",
                "HookflowGitHub",
                "HookflowGitHubVapor",
                "GitHubFake",
                "QStashDevServer",
                "UpstashSDK",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "XCTVapor", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
