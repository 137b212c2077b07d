import Foundation
import Hookflow
import HookflowFluent
import ArgumentParser
import Logging
import InMemoryTracing
import Prometheus
import Tracing
import PostgresNIO
import SQLKit
import SQLiteNIO
import Synchronization

/// A real engine on a fresh SQLite file (or a fresh PostgreSQL database), with the local
/// transport's workers running and a way to await runs' completion without polling the store.
final class BenchEngine: Sendable {
    let store: any WorkflowStore
    private let closeStore: @Sendable () async throws -> Void
    let engine: WorkflowEngine
    let transport: LocalTransport
    let finished: FinishedRuns
    private let task: Task<Void, Never>
    let folder: URL

    private init(
        store: any WorkflowStore, closeStore: @escaping @Sendable () async throws -> Void, engine: WorkflowEngine,
        transport: LocalTransport, finished: FinishedRuns, task: Task<Void, Never>, folder: URL
    ) {
        self.store = store
        self.closeStore = closeStore
        self.engine = engine
        self.transport = transport
        self.finished = finished
        self.task = task
        self.folder = folder
    }

    static func start(
        workers: Int, sizes: Sizes, _ register: (inout WorkflowRegistry) -> Void
    ) async throws -> BenchEngine {
        let postgres = sizes.postgres
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var logger = Logger(label: "hookflow.bench")
        logger.logLevel = .warning
        let store: any WorkflowStore
        let closeStore: @Sendable () async throws -> Void
        if let postgres {
            let database = try await createDatabase(on: postgres)
            let opened = try await PostgresWorkflowStore.open(url: database, logger: logger)
            (store, closeStore) = (opened, {
                try await opened.close()
                try await dropDatabase(database, on: postgres)
            })
        } else {
            let path = folder.appendingPathComponent("bench.sqlite").path
            let opened = try await SQLiteWorkflowStore.open(path: path, logger: logger)
            if sizes.withoutOperatorIndexes { try await dropOperatorIndexes(path: path, logger: logger) }
            (store, closeStore) = (opened, { try await opened.close() })
        }
        var registry = WorkflowRegistry()
        register(&registry)
        let finished = FinishedRuns()
        let transport = LocalTransport(workers: workers)
        let engine = WorkflowEngine(
            store: store, registry: registry, transport: transport,
            configuration: .init(
                logger: logger, onInvocationEnd: { runID, outcome in finished.ended(runID, outcome) },
                metrics: sizes.prometheus ? HookflowMetrics(factory: PrometheusMetricsFactory()) : HookflowMetrics(),
                tracer: sizes.trace ? InMemoryTracer(recordInjections: false, recordExtractions: false) : NoOpTracer(),
                historyCacheSteps: sizes.historyCacheSteps))
        let task = Task { await HookflowService(engine: engine).run() }
        return BenchEngine(
            store: store, closeStore: closeStore, engine: engine, transport: transport, finished: finished, task: task,
            folder: folder)
    }

    /// How many writes the store's transactions carried so far, where it commits in groups.
    var groupCommit: GroupCommitStatistics? {
        if let store = store as? SQLiteWorkflowStore { return store.groupCommitStatistics }
        if let store = store as? PostgresWorkflowStore { return store.groupCommitStatistics }
        return nil
    }

    /// How many wake-up notifications the store sent to the other instances (PostgreSQL).
    var notificationsSent: Int? { (store as? PostgresWorkflowStore)?.notificationsSent }

    func stop() async throws {
        engine.beginShutdown()
        await task.value
        try await closeStore()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Takes the schema back to what it was before issue 12's listing indexes and tally triggers.
private func dropOperatorIndexes(path: String, logger: Logger) async throws {
    let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
    let statements = [
        "hookflow_runs_status_created_at_id", "hookflow_runs_workflow_status_created_at", "hookflow_runs_status_workflow",
        "hookflow_dead_letters_created_at_id", "hookflow_dead_letters_workflow_created_at",
    ].map { "DROP INDEX \($0)" } + ["insert", "leave", "enter", "delete"].map { "DROP TRIGGER hookflow_tally_\($0)" } + [
        "CREATE INDEX hookflow_runs_status_created_at ON hookflow_runs (status, created_at)",
    ]
    for statement in statements { try await connection.sql().raw(SQLQueryString(statement)).run() }
    try await connection.close()
}

/// Creates an empty database on the server of `url`; returns its URL.
func createDatabase(on url: String) async throws -> String {
    guard var components = URLComponents(string: url) else { throw ValidationError("--postgres: cannot parse the URL") }
    let name = "hookflow_bench_\(UUID().uuidString.prefix(8).lowercased())"
    try await execute("CREATE DATABASE \(name)", on: url)
    components.path = "/" + name
    return components.string ?? url
}

/// Drops a database that ``createDatabase(on:)`` made on the server of `server`, with any
/// connection still open to it.
func dropDatabase(_ database: String, on server: String) async throws {
    guard let name = URLComponents(string: database)?.path.dropFirst(), name.hasPrefix("hookflow_bench_") else {
        throw ValidationError("not a database of the bench: \(database)")
    }
    try await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: server)
}

/// Runs one statement on the database of `url`, over a connection of its own.
private func execute(_ sql: String, on url: String) async throws {
    try await withBenchConnection(to: url) { connection in
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "hookflow.bench"))
    }
}

/// Runs `body` with a connection of its own to the database of `url` (plain TCP: the bench runs on loopback).
func withBenchConnection(to url: String, _ body: (PostgresConnection) async throws -> Void) async throws {
    guard let components = URLComponents(string: url) else { throw ValidationError("--postgres: cannot parse the URL") }
    let configuration = PostgresConnection.Configuration(
        host: components.host ?? "127.0.0.1", port: components.port ?? 5432, username: components.user ?? "postgres",
        password: components.password, database: String(components.path.dropFirst()), tls: .disable)
    let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "hookflow.bench"))
    do {
        try await body(connection)
    } catch {
        try? await connection.close()
        throw error
    }
    try await connection.close()
}

/// Counts invocation outcomes, and wakes who waits for a run or for a count.
final class FinishedRuns: Sendable {
    private struct State {
        var expected: [WorkflowRunID: CheckedContinuation<Void, Never>?] = [:]
        var finished = 0
        var suspended = 0
        var countWaiter: (target: Int, suspensions: Bool, continuation: CheckedContinuation<Void, Never>)?
    }

    private let state = Mutex(State())

    func ended(_ runID: WorkflowRunID, _ outcome: InvocationOutcome) {
        let resume: [CheckedContinuation<Void, Never>] = state.withLock { state in
            var ready: [CheckedContinuation<Void, Never>] = []
            switch outcome {
            case .completed, .failed:
                state.finished += 1
                if let entry = state.expected.removeValue(forKey: runID), let waiter = entry { ready.append(waiter) }
            case .suspended:
                state.suspended += 1
            default:
                break
            }
            if let waiter = state.countWaiter,
               (waiter.suspensions ? state.suspended : state.finished) >= waiter.target {
                ready.append(waiter.continuation)
                state.countWaiter = nil
            }
            return ready
        }
        for continuation in resume { continuation.resume() }
    }

    /// Call before triggering `runID`, then ``wait(for:)``.
    func expect(_ runID: WorkflowRunID) {
        state.withLock { $0.expected[runID] = .some(nil) }
    }

    /// Waits until the expected `runID` completed or failed.
    func wait(for runID: WorkflowRunID) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                guard state.expected[runID] != nil else { return true }
                state.expected[runID] = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Waits until `count` runs finished (or, with `suspensions`, suspended) since the last reset.
    func wait(forCount count: Int, suspensions: Bool = false) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if (suspensions ? state.suspended : state.finished) >= count { return true }
                state.countWaiter = (count, suspensions, continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func reset() {
        state.withLock { state in
            state.finished = 0
            state.suspended = 0
        }
    }
}
