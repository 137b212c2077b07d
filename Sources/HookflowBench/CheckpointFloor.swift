import Foundation
import HookflowFluent
import Logging
import SQLKit
import SQLiteKit
import SQLiteNIO
import VaporCSQLite

/// The cost of the checkpoint transaction alone (insert one step row, update one run row,
/// one commit) on the engine's tables with the engine's pragmas, with no engine around it.
enum CheckpointFloor {
    struct Figures {
        /// Through SQLite's C API with prepared statements: the physical floor.
        var rawMicroseconds: Double
        /// Through SQLiteNIO and SQLKit, the driver the store uses.
        var driverMicroseconds: Double
    }

    static func measure(iterations: Int) async throws -> Figures {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-floor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("floor.sqlite").path
        var logger = Logger(label: "hookflow.bench")
        logger.logLevel = .warning
        try await SQLiteWorkflowStore.open(path: path, logger: logger).close()
        let raw = try rawFloor(path: path, iterations: iterations)
        let driver = try await driverFloor(path: path, iterations: iterations, logger: logger)
        return Figures(rawMicroseconds: raw, driverMicroseconds: driver)
    }

    private static func rawFloor(path: String, iterations: Int) throws -> Double {
        var handle: OpaquePointer?
        guard sqlite_nio_sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK,
              let db = handle
        else { throw FloorError(message: "cannot open \(path)") }
        defer { sqlite_nio_sqlite3_close_v2(db) }
        func exec(_ sql: String) throws {
            guard sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
                throw FloorError(message: String(cString: sqlite_nio_sqlite3_errmsg(db)))
            }
        }
        func prepare(_ sql: String) throws -> OpaquePointer {
            var statement: OpaquePointer?
            guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                throw FloorError(message: String(cString: sqlite_nio_sqlite3_errmsg(db)))
            }
            return statement
        }
        func run(_ statement: OpaquePointer) throws {
            guard sqlite_nio_sqlite3_step(statement) == SQLITE_DONE else {
                throw FloorError(message: String(cString: sqlite_nio_sqlite3_errmsg(db)))
            }
            sqlite_nio_sqlite3_reset(statement)
        }
        try exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON")
        try exec("""
            INSERT INTO hookflow_runs (id, workflow_id, status, data, created_at, updated_at, lease_owner, lease_until)
            VALUES ('raw-floor', 'floor', 'running', '{}', 0, 0, 'owner', 0)
            """)
        let begin = try prepare("BEGIN IMMEDIATE")
        let commit = try prepare("COMMIT")
        let insert = try prepare("""
            INSERT INTO hookflow_steps (id, run_id, step_id, kind, status, result, attempts, sequence, executed_at)
            VALUES (?1, 'raw-floor', ?2, 'run', 'completed', '1', 1, ?3, ?4)
            """)
        let update = try prepare("""
            UPDATE hookflow_runs SET lease_until = ?1, updated_at = ?1
            WHERE id = 'raw-floor' AND lease_owner = 'owner' AND status = 'running'
            """)
        defer { [begin, commit, insert, update].forEach { sqlite_nio_sqlite3_finalize($0) } }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let start = ContinuousClock.now
        for index in 0..<iterations {
            let now = Date().timeIntervalSince1970
            try run(begin)
            sqlite_nio_sqlite3_bind_text(insert, 1, UUID().uuidString, -1, transient)
            sqlite_nio_sqlite3_bind_text(insert, 2, "s\(index)", -1, transient)
            sqlite_nio_sqlite3_bind_int64(insert, 3, Int64(index))
            sqlite_nio_sqlite3_bind_double(insert, 4, now)
            try run(insert)
            sqlite_nio_sqlite3_bind_double(update, 1, now + 30)
            try run(update)
            try run(commit)
        }
        return (ContinuousClock.now - start).inSeconds / Double(iterations) * 1e6
    }

    private static func driverFloor(path: String, iterations: Int, logger: Logger) async throws -> Double {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let sql = connection.sql()
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON"] {
            try await sql.raw(SQLQueryString(pragma)).run()
        }
        try await sql.raw("""
            INSERT INTO hookflow_runs (id, workflow_id, status, data, created_at, updated_at, lease_owner, lease_until)
            VALUES ('driver-floor', 'floor', 'running', '{}', 0, 0, 'owner', 0)
            """).run()
        let start = ContinuousClock.now
        for index in 0..<iterations {
            let now = Date()
            try await sql.raw("BEGIN IMMEDIATE").run()
            try await sql.raw("""
                INSERT INTO hookflow_steps (id, run_id, step_id, kind, status, result, attempts, sequence, executed_at)
                VALUES (\(bind: UUID()), 'driver-floor', \(bind: "s\(index)"), 'run', 'completed', '1', 1, \(bind: index), \(bind: now))
                """).run()
            try await sql.raw("""
                UPDATE hookflow_runs SET lease_until = \(bind: now + 30), updated_at = \(bind: now)
                WHERE id = 'driver-floor' AND lease_owner = 'owner' AND status = 'running'
                """).run()
            try await sql.raw("COMMIT").run()
        }
        let elapsed = (ContinuousClock.now - start).inSeconds / Double(iterations) * 1e6
        try await connection.close()
        return elapsed
    }
}

struct FloorError: Error, CustomStringConvertible {
    let message: String
    var description: String { "checkpoint floor: \(message)" }
}
