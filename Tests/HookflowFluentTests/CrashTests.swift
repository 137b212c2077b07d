import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// Runs the crash fixture, kills it with SIGKILL in the middle of its runs, restarts it,
/// and checks that every run completes and no checkpointed step body ran again.
final class CrashTests: XCTestCase {
    func testKilledProcessResumesAndNeverReRunsACheckpointedStep() async throws {
        try TestBackend.requireSQLite()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("crash.sqlite").path
        let log = folder.appendingPathComponent("executions.log").path
        let runs = 60, steps = 5, workers = 4
        let environment = ["CRASH_DB": database, "CRASH_LOG": log, "CRASH_RUNS": "\(runs)", "CRASH_STEPS": "\(steps)"]

        var killed: Set<String> = []
        for delay in [0.8, 0.6, 0.7] {
            let process = try startCrashFixture(environment)
            try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            XCTAssertTrue(process.isRunning, "the fixture finished before it could be killed; make its runs longer")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            killed.insert("\(process.processIdentifier)")
        }
        let last = try startCrashFixture(environment)
        let finished = try await eventually(timeout: .seconds(90)) { !last.isRunning }
        guard finished else {
            kill(last.processIdentifier, SIGKILL)
            return XCTFail("the last fixture did not finish")
        }
        XCTAssertEqual(last.terminationStatus, 0)

        // Every run completed.
        let store = try await SQLiteWorkflowStore.open(path: database)
        let stored = try await completedCheckpoints(of: runs, in: store)
        try await store.close()

        // Each step body's executions, in order: pid and the token it returned.
        var executions: [String: [(pid: String, token: String)]] = [:]
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields[4] == "START" else { continue }
            executions["\(fields[1]) \(fields[2])", default: []].append((fields[0], fields[3]))
        }
        XCTAssertEqual(executions.count, runs * steps, "some steps never ran")
        XCTAssertTrue(executions.values.contains { $0.contains { killed.contains($0.pid) } }, "no kill hit a running step")

        var reExecutions = 0
        for (step, runsOfBody) in executions {
            // The checkpoint holds the last execution's result: an earlier one never committed,
            // or the replay would have returned it instead of running the body again.
            XCTAssertEqual(stored[step], runsOfBody.last?.token, "\(step): checkpoint is not the last execution's")
            for earlier in runsOfBody.dropLast() {
                XCTAssertTrue(killed.contains(earlier.pid), "\(step) ran again although its process \(earlier.pid) was not killed")
            }
            reExecutions += runsOfBody.count - 1
        }
        // At most one in-flight step per worker can be cut off by each kill.
        XCTAssertLessThanOrEqual(reExecutions, killed.count * workers)
        print("crash test: \(runs) runs, \(killed.count) kills, \(reExecutions) step bodies re-run after a kill")
    }
}

/// A run whose step kills its process is failed after three crashes, not claimed forever (issue 10).
final class CrashLoopTests: XCTestCase {
    func testARunThatKillsItsProcessThreeTimesIsFailedWithADeadLetter() async throws {
        try TestBackend.requireSQLite()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-poison-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("poison.sqlite").path
        let log = folder.appendingPathComponent("executions.log").path
        var crashes = 0
        var cleanExits = 0
        for _ in 0..<6 where cleanExits == 0 {
            let process = Process()
            process.executableURL = try builtExecutable("HookflowCrashFixture")
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["CRASH_DB": database, "CRASH_LOG": log, "CRASH_POISON": "1"]) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let exited = try await eventually(timeout: .seconds(30)) { !process.isRunning }
            XCTAssertTrue(exited, "the fixture neither crashed nor finished")
            if process.terminationReason == .uncaughtSignal { crashes += 1 } else { cleanExits += 1 }
        }
        XCTAssertEqual(crashes, 3, "the poison pill did not crash exactly three processes")
        XCTAssertEqual(cleanExits, 1, "the fourth process did not fail the run and finish")
        let store = try await SQLiteWorkflowStore.open(path: database)
        addTeardownBlock { try await store.close() }
        let run = try await store.run("poison")
        XCTAssertEqual(run?.status, .failed)
        XCTAssertTrue(run?.errorMessage?.contains("last 3 invocations ended without progress") == true, "\(String(describing: run?.errorMessage))")
        let letters = try await store.deadLetters(limit: 5)
        XCTAssertEqual(letters.map(\.runID), ["poison"])
        let bodies = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").filter { $0.contains(" poison ") }
        XCTAssertEqual(bodies.count, 3, "the poison step ran \(bodies.count) times")
    }
}
