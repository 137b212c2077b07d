import Foundation
import Hookflow
import HookflowVapor
import Vapor
import XCTVapor

private struct Tiny: Workflow {
    static let id = "tiny"
    func run(_ ctx: WorkflowContext<Int>) async throws -> Int { try await ctx.step.run("double") { ctx.data * 2 } }
}

/// Another connection holding SQLite's write lock stalls no route and no heartbeat (issue 10, defect 13).
final class SQLiteLockTests: XCTestCase {
    func testARouteAnswersWhileAnotherConnectionHoldsTheWriteLock() async throws {
        let app = try await makeApp { app in
            app.hookflow.register(Tiny())
            app.get("ping") { _ in "pong" }
        }
        addTeardownBlock { try await app.asyncShutdown() }
        guard case .sqlite(let path)? = app.hookflow.configuration?.database else { return XCTFail("not on SQLite") }

        // Python's sqlite3 is the other connection: it takes the write lock and keeps it for 2.5 s.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = [
            "python3", "-c",
            "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
                + "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(2.5); c.execute('COMMIT')",
            path,
        ]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        addTeardownBlock { if holder.isRunning { holder.terminate() } }
        let line = output.fileHandleForReading.availableData
        XCTAssertEqual(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), "locked")

        // More writers than the machine has cooperative threads, all waiting for the lock.
        let writers = Task {
            try await withThrowingTaskGroup(of: WorkflowRunID.self) { group in
                for index in 0..<(4 * ProcessInfo.processInfo.activeProcessorCount) {
                    group.addTask { try await app.hookflow.trigger(Tiny.self, input: index) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        var slowest = Duration.zero
        for _ in 0..<10 {
            let started = ContinuousClock.now
            let response = try await app.testable().sendRequest(.GET, "/ping")
            XCTAssertEqual(response.body.string, "pong")
            slowest = max(slowest, ContinuousClock.now - started)
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTAssertTrue(holder.isRunning, "the lock was released before the pings ended; the test proves nothing")
        XCTAssertLessThan(slowest, .milliseconds(500), "a route waited \(slowest) for another connection's lock")
        let runs = try await writers.value
        for runID in runs { try await waitFor(runID, toBe: .completed, in: app) }
    }
}
