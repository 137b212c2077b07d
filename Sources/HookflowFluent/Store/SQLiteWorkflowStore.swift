import FluentKit
import FluentSQLiteDriver
import Foundation
import Hookflow
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The embedded store: one SQLite file in WAL mode, written through a single connection.
///
/// Each checkpoint is one `BEGIN IMMEDIATE … COMMIT` transaction. The file and its
/// tables are created on first open (Fluent migrations), so the same file can also be
/// queried through the ``WorkflowRun``, ``StepExecution`` and ``DeadLetterEntry`` models.
public final class SQLiteWorkflowStore: WorkflowStore {
    /// The database file.
    public let path: String
    private let connection: SQLiteConnection
    private let sql: any SQLDatabase
    private let lock = AsyncLock()

    private init(path: String, connection: SQLiteConnection) {
        self.path = path
        self.connection = connection
        self.sql = connection.sql()
    }

    /// Opens (creating if needed) the SQLite file at `path` and migrates its tables.
    public static func open(path: String, logger: Logger = Logger(label: "hookflow.sqlite")) async throws -> SQLiteWorkflowStore {
        try await migrate(path: path, logger: logger)
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let store = SQLiteWorkflowStore(path: path, connection: connection)
        // WAL survives a process crash with synchronous=NORMAL; busy_timeout covers another process on the same file.
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON"] {
            try await store.sql.raw(SQLQueryString(pragma)).run()
        }
        return store
    }

    /// Closes the connection. The store must not be used afterwards.
    public func close() async throws {
        try await connection.close()
    }

    private static func migrate(path: String, logger: Logger) async throws {
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(.sqlite(.file(path)), as: .hookflowMigrations)
        let migrations = Migrations()
        migrations.add(CreateHookflowTables(), to: .hookflowMigrations)
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any(), migrationLogLevel: .debug)
        do {
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        await databases.shutdownAsync()
    }

    // MARK: Sessions

    private func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    private func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock { try await body(sql) }
    }

    // MARK: WorkflowStore

    public func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, now: Date
    ) async throws -> (workflowID: String, created: Bool) {
        try await transaction { sql in
            let inserted = try await sql.raw("""
                INSERT INTO hookflow_runs (id, workflow_id, status, data, created_at, updated_at)
                VALUES (\(bind: runID.rawValue), \(bind: workflowID), 'pending', \(bind: input), \(bind: now), \(bind: now))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """).first()
            if inserted != nil { return (workflowID, true) }
            let existing = try await sql.raw("SELECT workflow_id FROM hookflow_runs WHERE id = \(bind: runID.rawValue)")
                .first()
            return (try existing?.decode(column: "workflow_id", as: String.self) ?? workflowID, false)
        }
    }

    public func claimNextRun(owner: String, leaseUntil: Date, now: Date) async throws -> RunRecord? {
        try await transaction { sql in
            try await sql.raw("""
                UPDATE hookflow_runs
                SET status = 'running', lease_owner = \(bind: owner), lease_until = \(bind: leaseUntil), updated_at = \(bind: now)
                WHERE id = (
                    SELECT id FROM hookflow_runs WHERE status = 'sleeping' AND wake_at <= \(bind: now)
                    UNION ALL SELECT id FROM hookflow_runs WHERE status = 'running' AND lease_until < \(bind: now)
                    UNION ALL SELECT id FROM hookflow_runs WHERE status = 'pending'
                    LIMIT 1)
                RETURNING \(unsafeRaw: Self.runColumns)
                """).first().map(Self.runRecord)
        }
    }

    public func steps(of runID: WorkflowRunID) async throws -> [StepRecord] {
        try await read { sql in
            try await sql.raw("""
                SELECT step_id, kind, status, result, error_message, attempts, sequence, wake_at, executed_at
                FROM hookflow_steps WHERE run_id = \(bind: runID.rawValue) ORDER BY sequence
                """).all().map(Self.stepRecord)
        }
    }

    public func commit(
        runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, now: Date
    ) async throws {
        try await transaction { sql in
            let id = runID.rawValue
            let fence: SQLQueryString = "WHERE id = \(bind: id) AND lease_owner = \(bind: owner) AND status = 'running' RETURNING workflow_id, data"
            let update: SQLQueryString
            switch transition {
            case .keepRunning(let leaseUntil):
                update = "UPDATE hookflow_runs SET lease_until = \(bind: leaseUntil), updated_at = \(bind: now) " + fence
            case .suspend(let wakeAt):
                update = """
                    UPDATE hookflow_runs SET status = 'sleeping', wake_at = \(bind: wakeAt), lease_owner = NULL,
                    lease_until = NULL, updated_at = \(bind: now)
                    """ + " " + fence
            case .release:
                update = """
                    UPDATE hookflow_runs SET status = 'pending', wake_at = NULL, lease_owner = NULL,
                    lease_until = NULL, updated_at = \(bind: now)
                    """ + " " + fence
            case .complete(let result):
                update = """
                    UPDATE hookflow_runs SET status = 'completed', result = \(bind: result), completed_at = \(bind: now),
                    wake_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = \(bind: now)
                    """ + " " + fence
            case .fail(_, let error):
                update = """
                    UPDATE hookflow_runs SET status = 'failed', error_message = \(bind: error), completed_at = \(bind: now),
                    wake_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = \(bind: now)
                    """ + " " + fence
            }
            guard let run = try await sql.raw(update).first() else { throw LeaseLostError(runID: runID) }
            if let step {
                try await sql.raw("""
                    INSERT INTO hookflow_steps
                        (id, run_id, step_id, kind, status, result, error_message, attempts, sequence, wake_at, executed_at)
                    VALUES (\(bind: UUID()), \(bind: id), \(bind: step.stepID), \(bind: step.kind.rawValue),
                        \(bind: step.status.rawValue), \(bind: step.result), \(bind: step.errorMessage), \(bind: step.attempts),
                        \(bind: step.sequence), \(bind: step.wakeAt), \(bind: step.executedAt))
                    ON CONFLICT (run_id, step_id) DO UPDATE SET status = excluded.status, result = excluded.result,
                        error_message = excluded.error_message, attempts = excluded.attempts, wake_at = excluded.wake_at,
                        executed_at = excluded.executed_at
                    """).run()
            }
            if case .fail(let stepID, let error) = transition {
                try await sql.raw("""
                    INSERT INTO hookflow_dead_letters (id, run_id, workflow_id, step_id, data, error_message, created_at)
                    VALUES (\(bind: UUID()), \(bind: id), \(bind: try run.decode(column: "workflow_id", as: String.self)),
                        \(bind: stepID), \(bind: try run.decode(column: "data", as: String.self)), \(bind: error), \(bind: now))
                    """).run()
            }
        }
    }

    public func nextWakeTime(after date: Date) async throws -> Date? {
        try await read { sql in
            try await sql.raw("""
                SELECT MIN(t) AS t FROM (
                    SELECT MIN(wake_at) AS t FROM hookflow_runs WHERE status = 'sleeping' AND wake_at > \(bind: date)
                    UNION ALL
                    SELECT MIN(lease_until) AS t FROM hookflow_runs WHERE status = 'running' AND lease_until > \(bind: date))
                """).first()?.decode(column: "t", as: Date?.self)
        }
    }

    public func run(_ runID: WorkflowRunID) async throws -> RunRecord? {
        try await read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.runColumns) FROM hookflow_runs WHERE id = \(bind: runID.rawValue)")
                .first().map(Self.runRecord)
        }
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetterRecord] {
        try await read { sql in
            try await sql.raw("""
                SELECT id, run_id, workflow_id, step_id, data, error_message, created_at, replayed_at
                FROM hookflow_dead_letters ORDER BY created_at DESC LIMIT \(bind: limit)
                """).all().map { row in
                DeadLetterRecord(
                    id: try row.decode(column: "id", as: UUID.self).uuidString,
                    runID: WorkflowRunID(try row.decode(column: "run_id", as: String.self)),
                    workflowID: try row.decode(column: "workflow_id", as: String.self),
                    stepID: try row.decode(column: "step_id", as: String?.self),
                    input: try row.decode(column: "data", as: String.self),
                    errorMessage: try row.decode(column: "error_message", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self),
                    replayedAt: try row.decode(column: "replayed_at", as: Date?.self))
            }
        }
    }

    public func reopenDeadLetter(id: String, now: Date) async throws -> RunRecord {
        guard let uuid = UUID(uuidString: id) else { throw DeadLetterNotFoundError(id: id) }
        return try await transaction { sql in
            guard let entry = try await sql.raw("""
                SELECT run_id, step_id FROM hookflow_dead_letters WHERE id = \(bind: uuid) AND replayed_at IS NULL
                """).first()
            else { throw DeadLetterNotFoundError(id: id) }
            let runID = try entry.decode(column: "run_id", as: String.self)
            guard let run = try await sql.raw("""
                UPDATE hookflow_runs SET status = 'pending', error_message = NULL, completed_at = NULL, wake_at = NULL,
                    lease_owner = NULL, lease_until = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: runID) AND status = 'failed'
                RETURNING \(unsafeRaw: Self.runColumns)
                """).first().map(Self.runRecord)
            else { throw DeadLetterNotFoundError(id: id) }
            if let stepID = try entry.decode(column: "step_id", as: String?.self) {
                try await sql.raw("""
                    UPDATE hookflow_steps SET status = 'retrying', attempts = 0
                    WHERE run_id = \(bind: runID) AND step_id = \(bind: stepID) AND status = 'failed'
                    """).run()
            }
            try await sql.raw("UPDATE hookflow_dead_letters SET replayed_at = \(bind: now) WHERE id = \(bind: uuid)").run()
            return run
        }
    }

    // MARK: Rows

    private static let runColumns =
        "id, workflow_id, status, data, result, error_message, wake_at, created_at, completed_at"

    private static func runRecord(_ row: any SQLRow) throws -> RunRecord {
        let status = try row.decode(column: "status", as: String.self)
        return RunRecord(
            runID: WorkflowRunID(try row.decode(column: "id", as: String.self)),
            workflowID: try row.decode(column: "workflow_id", as: String.self),
            status: try RunStatus(rawValue: status) ?? { throw StoreDataError(column: "status", value: status) }(),
            input: try row.decode(column: "data", as: String.self),
            result: try row.decode(column: "result", as: String?.self),
            errorMessage: try row.decode(column: "error_message", as: String?.self),
            wakeAt: try row.decode(column: "wake_at", as: Date?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            completedAt: try row.decode(column: "completed_at", as: Date?.self))
    }

    private static func stepRecord(_ row: any SQLRow) throws -> StepRecord {
        let kind = try row.decode(column: "kind", as: String.self)
        let status = try row.decode(column: "status", as: String.self)
        return StepRecord(
            stepID: try row.decode(column: "step_id", as: String.self),
            kind: try StepKind(rawValue: kind) ?? { throw StoreDataError(column: "kind", value: kind) }(),
            status: try StepStatus(rawValue: status) ?? { throw StoreDataError(column: "status", value: status) }(),
            result: try row.decode(column: "result", as: String?.self),
            errorMessage: try row.decode(column: "error_message", as: String?.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            sequence: try row.decode(column: "sequence", as: Int.self),
            wakeAt: try row.decode(column: "wake_at", as: Date?.self),
            executedAt: try row.decode(column: "executed_at", as: Date.self))
    }
}

/// A stored value the engine does not recognise (a newer schema, or a hand edit).
struct StoreDataError: Error, CustomStringConvertible {
    let column: String
    let value: String

    var description: String { "unexpected value '\(value)' in column \(column)" }
}

extension DatabaseID {
    /// The Fluent database id under which Hookflow migrates its tables.
    static let hookflowMigrations = DatabaseID(string: "hookflow-migrations")
}
