import Foundation
import Hookflow
import HookflowFluent
import SQLKit
import XCTest

/// Runs the crash fixture's transaction steps, kills it with SIGKILL again and again in the
/// middle of its runs, and checks that every step's write to the app's table happened exactly
/// once: none twice, none lost, each the one its checkpoint returns.
final class TransactionCrashTests: XCTestCase {
    func testKilledProcessesNeverWriteTwiceNorLoseAWrite() async throws {
        try TestBackend.requireSQLite()
        let folder = try temporaryFolder()
        try await killAndCheck(database: folder.appendingPathComponent("crash.sqlite").path, folder: folder)
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-tx-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    private func killAndCheck(database: String, folder: URL) async throws {
        let log = folder.appendingPathComponent("executions.log").path
        let runs = 200, steps = 3
        let environment = [
            "CRASH_DB": database, "CRASH_LOG": log, "CRASH_RUNS": "\(runs)", "CRASH_STEPS": "\(steps)", "CRASH_STEP_MS": "10",
            "CRASH_TRANSACTION": "1",
        ]
        var killed: Set<String> = []
        for delay in [0.7, 0.4, 0.6, 0.5, 0.45] {
            let process = try startCrashFixture(environment)
            try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            guard process.isRunning else { break }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            killed.insert("\(process.processIdentifier)")
        }
        XCTAssertGreaterThanOrEqual(killed.count, 3, "the fixture finished before it was killed three times")
        let last = try startCrashFixture(environment)
        let finished = try await eventually(timeout: .seconds(120)) { !last.isRunning }
        guard finished else {
            kill(last.processIdentifier, SIGKILL)
            return XCTFail("the last fixture did not finish")
        }
        XCTAssertEqual(last.terminationStatus, 0)

        let store = try await openTestStore(database)
        let checkpoints = try await completedCheckpoints(of: runs, in: store)
        try await store.close()
        let shared = try SharedDatabase(location: database)
        addTeardownBlock { await shared.shutdown() }
        let rows = try await shared.sql.raw("SELECT run_id, step_id, token FROM effects").all()
        var effects: [String: [String]] = [:]
        for row in rows {
            let step = "\(try row.decode(column: "run_id", as: String.self)) \(try row.decode(column: "step_id", as: String.self))"
            effects[step, default: []].append(try row.decode(column: "token", as: String.self))
        }
        XCTAssertEqual(effects.count, runs * steps, "a step's write was lost")
        XCTAssertEqual(effects.values.filter { $0.count > 1 }.count, 0, "a step wrote twice")
        for (step, token) in checkpoints {
            XCTAssertEqual(effects[step], [token], "\(step): the checkpoint is not the write that committed")
        }
        // Kills hit bodies in the middle of their transaction: started, never committed, run again.
        let started = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count
        XCTAssertGreaterThan(started, runs * steps, "no kill interrupted a transaction")
        print("transaction crash test: \(runs) runs, \(killed.count) kills, \(started - runs * steps) bodies rolled back by a kill")
    }
}
