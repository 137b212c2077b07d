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
}
