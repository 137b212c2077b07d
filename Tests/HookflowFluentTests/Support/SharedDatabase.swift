import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import HookflowFluent
import Logging
import NIOPosix
import SQLKit
import XCTest

/// The app's side of a test's store: a Fluent database on the same SQLite file or PostgreSQL
/// database, as `app.db(.hookflow)` is in a Vapor app. Not for the in-memory store.
final class SharedDatabase: Sendable {
    private let databases: Databases
    private static let id = DatabaseID(string: "app")

    init(location: String) throws {
        guard !location.hasPrefix("memory:") else { throw XCTSkip("needs a database the app shares: SQLite or PostgreSQL") }
        databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        if location.hasPrefix("postgres://") {
            databases.use(.postgres(configuration: try PostgresWorkflowStore.fluentConfiguration(url: location)), as: Self.id)
        } else {
            databases.use(.sqlite(.file(location)), as: Self.id)
        }
    }

    /// The database, on any event loop.
    var database: any Database {
        databases.database(Self.id, logger: Logger(label: "hookflow.test.app"), on: MultiThreadedEventLoopGroup.singleton.any())!
    }

    var sql: any SQLDatabase { database as! any SQLDatabase }

    func shutdown() async { await databases.shutdownAsync() }
}
