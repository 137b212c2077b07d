import FluentKit
import Foundation
import HookflowFluent
import SQLKit
import XCTest

/// What the indexes of `hookflow_steps` hold: a step's first write enters its key, its id and
/// nothing else, and the lookups still find their rows through an index.
final class StepIndexTests: XCTestCase {
    func testTheLookupOfAKeysWaitersUsesThePartialEventKeyIndex() async throws {
        let (location, shared) = try await openStoreBesideItsDatabase()
        let lookup = "SELECT run_id FROM hookflow_steps WHERE event_key = 'order:1' AND status = 'waiting'"
        let plan: String
        if location.hasPrefix("postgres://") {
            // On an empty table a sequential scan is cheaper: the question is whether the index can serve the lookup.
            plan = try await shared.database.transaction { db in
                let sql = db as! any SQLDatabase
                try await sql.raw("SET LOCAL enable_seqscan = off").run()
                return try await sql.raw(SQLQueryString("EXPLAIN " + lookup)).all()
                    .map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
            }
        } else {
            plan = try await shared.sql.raw(SQLQueryString("EXPLAIN QUERY PLAN " + lookup)).all()
                .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
        }
        XCTAssertTrue(plan.contains("hookflow_steps_event_key"), "the lookup by key does not use the index:\n\(plan)")
        let definition = try await shared.sql.raw(SQLQueryString(location.hasPrefix("postgres://")
            ? "SELECT indexdef AS text FROM pg_indexes WHERE indexname = 'hookflow_steps_event_key'"
            : "SELECT sql AS text FROM sqlite_master WHERE name = 'hookflow_steps_event_key'"
        )).first().map { try $0.decode(column: "text", as: String.self) }
        XCTAssertTrue(
            definition?.lowercased().contains("where") == true && definition?.lowercased().contains("not null") == true,
            "the index of event keys still holds every step: \(definition ?? "none")")
    }

    func testAPageOfARunsStepsIsFoundByTheRunsKeyWithNoIndexByPosition() async throws {
        let (location, shared) = try await openStoreBesideItsDatabase()
        let postgres = location.hasPrefix("postgres://")
        let indexes = try await shared.sql.raw(SQLQueryString(postgres
            ? "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'hookflow_steps'"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'hookflow_steps'"
        )).all().map { try $0.decode(column: "name", as: String.self) }
        XCTAssertFalse(indexes.contains("hookflow_steps_run_id_sequence"), "the index by position is still there: \(indexes)")
        let page = "SELECT step_id FROM hookflow_steps WHERE run_id = 'r' AND sequence > 10 ORDER BY sequence LIMIT 50"
        let plan: String
        if postgres {
            plan = try await shared.database.transaction { db in
                let sql = db as! any SQLDatabase
                try await sql.raw("SET LOCAL enable_seqscan = off").run()
                return try await sql.raw(SQLQueryString("EXPLAIN " + page)).all()
                    .map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
            }
            XCTAssertTrue(plan.contains("uq:hookflow_steps.run_id+hookflow_steps.step_id"), "a page does not use the run's key:\n\(plan)")
        } else {
            plan = try await shared.sql.raw(SQLQueryString("EXPLAIN QUERY PLAN " + page)).all()
                .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
            XCTAssertTrue(plan.contains("SEARCH hookflow_steps USING INDEX") && plan.contains("run_id=?"), "a page does not use the run's key:\n\(plan)")
        }
    }

    /// A store on a fresh database, and a Fluent connection to the same database; both closed when the test ends.
    private func openStoreBesideItsDatabase() async throws -> (location: String, shared: SharedDatabase) {
        let location = try await temporaryDatabasePath()
        let shared = try SharedDatabase(location: location)
        let store = try await openTestStore(location)
        addTeardownBlock {
            await shared.shutdown()
            try? await store.close()
        }
        return (location, shared)
    }
}
