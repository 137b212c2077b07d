import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// The SQLite store's own file (what every store does is in StoreConformance/).
final class StoreTests: XCTestCase {
    func testOpenCreatesTheFileInWALModeAndReopensIt() async throws {
        try TestBackend.requireSQLite()
        let path = try await temporaryDatabasePath()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let store = try await SQLiteWorkflowStore.open(path: path)
        _ = try await store.createRun(runID: "r", workflowID: "w", input: "{}", now: Date())
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"), "the database is not in WAL mode")
        try await store.close()

        let reopened = try await SQLiteWorkflowStore.open(path: path)
        let run = try await reopened.run("r")
        XCTAssertEqual(run?.status, .pending)
        try await reopened.close()
    }

    func testTheWALStartsOverUnderWritesThatNeverPause() async throws {
        try TestBackend.requireSQLite()
        let path = try await temporaryDatabasePath()
        let store = try await SQLiteWorkflowStore.open(path: path)
        addTeardownBlock { try await store.close() }
        let now = Date()
        _ = try await store.createRun(runID: "busy", workflowID: "w", input: "{}", now: now)
        _ = try await store.claimRun("busy", owner: "o", leaseUntil: now + 3600, now: now)
        // About 160 MB of WAL frames, committed back to back: the checkpointer runs beside them.
        let result = "\"" + String(repeating: "x", count: 16_000) + "\""
        for index in 0..<8000 {
            let step = StepRecord(
                stepID: "s\(index)", kind: .run, status: .completed, result: result, attempts: 1, sequence: index, executedAt: now)
            try await store.commit(runID: "busy", owner: "o", step: step, transition: .keepRunning(leaseUntil: now + 3600), now: now)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "-wal")
        let bytes = try XCTUnwrap(attributes[.size] as? Int)
        XCTAssertLessThan(bytes, 100 * 1024 * 1024, "the WAL grew to \(bytes) bytes: it never started over")
    }
}
