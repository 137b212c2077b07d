import Foundation
import Hookflow
import HookflowFluent
import Logging
import PostgresNIO
import Synchronization
import XCTest

/// The store the behavioural tests run against: SQLite files, PostgreSQL when
/// `HOOKFLOW_TEST_BACKEND=postgres`, or the in-memory store when `HOOKFLOW_TEST_BACKEND=memory`
/// (`scripts/test` runs the suite all three ways). PostgreSQL needs `HOOKFLOW_TEST_POSTGRES_URL`,
/// a server whose user may create databases.
enum TestBackend {
    case sqlite
    case postgres(server: String)
    case memory

    static var current: TestBackend {
        get throws {
            let environment = ProcessInfo.processInfo.environment
            switch environment["HOOKFLOW_TEST_BACKEND"] {
            case "memory": return .memory
            case "postgres": break
            default: return .sqlite
            }
            guard let server = environment["HOOKFLOW_TEST_POSTGRES_URL"] else {
                throw XCTSkip("HOOKFLOW_TEST_BACKEND=postgres needs HOOKFLOW_TEST_POSTGRES_URL (scripts/test starts a server)")
            }
            return .postgres(server: server)
        }
    }

    /// Skips a test about SQLite itself (its file, its crash fixture) in the other passes.
    static func requireSQLite() throws {
        guard case .sqlite = try current else { throw XCTSkip("about SQLite itself: runs in the SQLite pass") }
    }

    /// The PostgreSQL server for tests that need one, or a skip that says why there is none.
    /// They run once, in the first pass, not again in the PostgreSQL pass of the behavioural tests.
    static func postgresServer() throws -> String {
        guard case .sqlite = try current else { throw XCTSkip("PostgreSQL-only: runs in the first pass") }
        guard let server = ProcessInfo.processInfo.environment["HOOKFLOW_TEST_POSTGRES_URL"] else {
            throw XCTSkip("no PostgreSQL: set HOOKFLOW_TEST_POSTGRES_URL, or run scripts/test, which starts one")
        }
        return server
    }
}

/// A new, empty database: an SQLite file path, a PostgreSQL URL of a database created for the
/// test, or the name of an in-memory store (`memory:…`).
func temporaryDatabasePath() async throws -> String {
    switch try TestBackend.current {
    case .memory:
        return "memory:\(UUID().uuidString)"
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("hookflow.sqlite").path
    case .postgres(let server):
        return try await createPostgresDatabase(on: server)
    }
}

/// Creates a database on the server of `url` and returns the URL of the new database.
func createPostgresDatabase(on url: String) async throws -> String {
    var components = try XCTUnwrap(URLComponents(string: url))
    let name = "hookflow_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
    try await runOnPostgresServer(url, PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
    components.path = "/" + name
    return try XCTUnwrap(components.string)
}

/// Runs one statement on the database of `url`, through a client of its own.
func runOnPostgresServer(_ url: String, _ query: PostgresQuery) async throws {
    let components = try XCTUnwrap(URLComponents(string: url))
    let configuration = PostgresClient.Configuration(
        host: components.host ?? "127.0.0.1", port: components.port ?? 5432, username: components.user ?? "postgres",
        password: components.password, database: String(components.path.dropFirst()), tls: .disable)
    let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "hookflow.test.postgres"))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        try await client.query(query)
        group.cancelAll()
    }
}

/// Checks that every run `run-0` … `run-(count-1)` of the crash fixture completed; returns
/// each checkpoint's token, keyed `"run step"`.
func completedCheckpoints(of count: Int, in store: any WorkflowStore) async throws -> [String: String] {
    var stored: [String: String] = [:]
    for index in 0..<count {
        let runID = WorkflowRunID("run-\(index)")
        let run = try await store.run(runID)
        XCTAssertEqual(run?.status, .completed, "\(runID) did not complete")
        for step in try await store.steps(of: runID) {
            stored["\(runID) \(step.stepID)"] = try JSONDecoder().decode(String.self, from: Data((step.result ?? "null").utf8))
        }
    }
    return stored
}

/// Opens the store at a location from ``temporaryDatabasePath()``, running until it is closed.
func openTestStore(_ location: String, logger: Logger = Logger(label: "hookflow.test")) async throws -> any WorkflowStore {
    if location.hasPrefix("memory:") { return MemoryStores.shared.store(named: location) }
    if location.hasPrefix("postgres://") {
        return try await openRunningPostgresStore(url: location, logger: logger)
    }
    return try await SQLiteWorkflowStore.open(path: location, logger: logger)
}

/// A PostgreSQL store whose client runs until the store is closed (as ``HookflowService`` would run it).
func openRunningPostgresStore(
    url: String, logger: Logger = Logger(label: "hookflow.test")
) async throws -> PostgresWorkflowStore {
    let store = try await PostgresWorkflowStore.open(url: url, operationTimeout: .seconds(5), logger: logger)
    Task { try await store.run() }
    return store
}

/// The in-memory stores of the memory pass by name, so that a test that closes a store and opens
/// the same location again (a restart) finds what it wrote, as it would in a file.
final class MemoryStores: Sendable {
    static let shared = MemoryStores()
    private let stores = Mutex<[String: InMemoryWorkflowStore]>([:])

    func store(named name: String) -> InMemoryWorkflowStore {
        stores.withLock { stores in
            if let store = stores[name] { return store }
            let store = InMemoryWorkflowStore()
            stores[name] = store
            return store
        }
    }
}
