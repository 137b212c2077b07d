import FluentKit
import Foundation
import Hookflow
import HookflowFluent
import SQLKit
import XCTest

/// Reserves stock in the app's table, in the transaction of its checkpoint.
private struct ReserveStock: Workflow {
    static let id = "reserve-stock"
    let counter: Counter

    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        let token = try await ctx.step.transaction("reserve", retry: .exponential(maxAttempts: 3, initialDelay: .milliseconds(10))) {
            db -> String in
            let attempt = counter.hit("attempt")
            let token = "\(ctx.runID)-\(attempt)"
            let sql = db as! any SQLDatabase
            try await sql.raw("INSERT INTO reservations (run_id, token) VALUES (\(bind: ctx.runID.rawValue), \(bind: token))").run()
            switch (ctx.data, attempt) {
            case ("throws-once", 1): throw ReservationError()
            case ("loses-lease-once", 1):
                // Another worker took the run over meanwhile: the fence fails, and everything rolls back.
                try await sql.raw("UPDATE hookflow_runs SET lease_owner = 'thief' WHERE id = \(bind: ctx.runID.rawValue)").run()
            default: break
            }
            return token
        }
        try await ctx.step.sleep("settle", for: .milliseconds(20))
        return token
    }
}

private struct ReservationError: Error {}

/// Exactly-once writes to the app's database, on SQLite and PostgreSQL.
final class TransactionStepTests: XCTestCase {
    private func start(_ counter: Counter, leaseDuration: Duration = .seconds(30)) async throws -> (Harness, SharedDatabase) {
        let path = try await temporaryDatabasePath()
        let shared = try SharedDatabase(location: path)
        addTeardownBlock { await shared.shutdown() }
        let harness = try await Harness.start(path: path, leaseDuration: leaseDuration, sharedDatabase: { shared.database }) {
            $0.register(ReserveStock(counter: counter))
        }
        addTeardownBlock { try await harness.stop() }
        try await shared.sql.raw("CREATE TABLE reservations (run_id TEXT NOT NULL, token TEXT NOT NULL)").run()
        return (harness, shared)
    }

    private func reservations(_ shared: SharedDatabase) async throws -> [(runID: String, token: String)] {
        try await shared.sql.raw("SELECT run_id, token FROM reservations").all().map {
            (try $0.decode(column: "run_id", as: String.self), try $0.decode(column: "token", as: String.self))
        }
    }

    func testTheBodysWritesAndTheCheckpointCommitTogether() async throws {
        let counter = Counter()
        let (harness, shared) = try await start(counter)
        let runID = try await harness.engine.trigger(ReserveStock.self, input: "plain")
        let run = try await harness.wait(for: runID, toBe: .completed)
        let rows = try await reservations(shared)
        XCTAssertEqual(rows.map(\.runID), [runID.rawValue])
        XCTAssertEqual(run.result, "\"\(rows.first?.token ?? "")\"", "the checkpoint is not the committed write's")
        let step = try await harness.steps(runID)["reserve"]
        XCTAssertEqual(step?.status, .completed)
        XCTAssertEqual(counter["attempt"], 1, "the replay after the sleep ran the body again")
    }

    func testAnAttemptThatThrowsRollsItsWritesBack() async throws {
        let counter = Counter()
        let (harness, shared) = try await start(counter)
        let runID = try await harness.engine.trigger(ReserveStock.self, input: "throws-once")
        let run = try await harness.wait(for: runID, toBe: .completed)
        let rows = try await reservations(shared)
        XCTAssertEqual(rows.map(\.token), ["\(runID)-2"], "the failed attempt's write was kept")
        XCTAssertEqual(run.result, "\"\(runID)-2\"")
        let step = try await harness.steps(runID)["reserve"]
        XCTAssertEqual(step?.attempts, 2)
    }

    func testALostLeaseRollsTheBodysWritesBack() async throws {
        let counter = Counter()
        let (harness, shared) = try await start(counter, leaseDuration: .milliseconds(500))
        let runID = try await harness.engine.trigger(ReserveStock.self, input: "loses-lease-once")
        let attempted = try await eventually { counter["attempt"] >= 1 }
        XCTAssertTrue(attempted)
        // The lease (half a second) runs out; a worker takes the run over.
        try await Task.sleep(for: .milliseconds(800))
        _ = try await harness.engine.executeRun(runID)
        let run = try await harness.wait(for: runID, toBe: .completed, timeout: .seconds(20))
        let rows = try await reservations(shared)
        XCTAssertEqual(rows.map(\.token), ["\(runID)-2"], "the write of an attempt whose lease was lost was kept")
        XCTAssertEqual(run.result, "\"\(runID)-2\"")
    }

    func testARunTriggeredInTheAppsTransactionExistsOnlyIfItCommits() async throws {
        let counter = Counter()
        let (harness, shared) = try await start(counter)
        do {
            try await shared.database.transaction { db in
                try await harness.engine.trigger(ReserveStock.self, input: "plain", runID: "rolled-back", on: db)
                throw ReservationError()
            }
            XCTFail("the transaction did not throw")
        } catch is ReservationError {}
        let absent = try await harness.store.run("rolled-back")
        XCTAssertNil(absent, "a run triggered in a rolled-back transaction exists")
        try await shared.database.transaction { db in
            try await harness.engine.trigger(ReserveStock.self, input: "plain", runID: "committed", on: db)
        }
        let run = try await harness.wait(for: "committed", toBe: .completed)
        XCTAssertEqual(run.workflowVersion, 1)
        let rows = try await reservations(shared)
        XCTAssertEqual(rows.map(\.runID), ["committed"])
    }
}
