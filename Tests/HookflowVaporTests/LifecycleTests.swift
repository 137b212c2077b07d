import Foundation
import Hookflow
import HookflowVapor
import Vapor
import XCTest

/// A step that waits an hour the first time it runs, and returns at once after.
struct StallsOnce: Workflow {
    let counter: Hits

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("stall") {
            if counter.hit("stall") == 1 { try await Task.sleep(for: .seconds(3600)) }
            return "done"
        }
    }
}

final class LifecycleTests: XCTestCase {
    /// An app on a temporary SQLite file whose command line is `arguments`.
    private func app(arguments: [String], database: String, _ configure: (Application) throws -> Void) async throws -> Application {
        let app = try await Application.make(Environment(name: "testing", arguments: arguments))
        app.logger.logLevel = .critical
        try app.hookflow.use(database: .sqlite(path: database))
        try configure(app)
        try await app.asyncBoot()
        return app
    }

    private func temporaryDatabase() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-lifecycle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("app.sqlite").path
    }

    func testCommandsOtherThanServeStartNoWorkersButCanTrigger() async throws {
        for arguments in [["App", "routes"], ["App", "serve", "--help"], ["App", "migrate", "--yes"], ["App", "hookflow", "runs"]] {
            let database = try temporaryDatabase()
            let app = try await app(arguments: arguments, database: database) { $0.hookflow.register(Checkout()) }
            let runID = try await app.hookflow.trigger(Checkout.self, input: .init(cart: "c"))
            try await Task.sleep(for: .milliseconds(400))
            let status = try await app.hookflow.status(of: runID)?.status
            XCTAssertEqual(status, .pending, "`\(arguments.dropFirst().joined(separator: " "))` executed a run")
            try await app.asyncShutdown()

            // The server, on the same database, executes it.
            let server = try await self.app(arguments: ["App", "serve"], database: database) { $0.hookflow.register(Checkout()) }
            try await waitFor(runID, toBe: .completed, in: server)
            try await server.asyncShutdown()
        }
    }

    func testShutdownTimeoutCancelsAStepThatNeverReturnsAndReleasesItsRun() async throws {
        let database = try temporaryDatabase()
        let hits = Hits()
        setenv("HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS", "0.3", 1)
        defer { unsetenv("HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS") }
        let app = try await app(arguments: ["App"], database: database) { $0.hookflow.register(StallsOnce(counter: hits)) }
        XCTAssertEqual(app.hookflow.configuration?.shutdownTimeout, .milliseconds(300))
        let runID = try await app.hookflow.trigger(workflowID: StallsOnce.id, data: [:])
        _ = try await Loopback.poll(timeout: .seconds(10)) { hits["stall"] == 1 ? true : nil }

        let stopping = ContinuousClock.now
        try await app.asyncShutdown()
        XCTAssertLessThan(ContinuousClock.now - stopping, .seconds(3), "shutdown waited for a step that never returns")

        let restarted = try await self.app(arguments: ["App"], database: database) { $0.hookflow.register(StallsOnce(counter: hits)) }
        let run = try await waitFor(runID, toBe: .completed, in: restarted)
        XCTAssertEqual(run.steps.map(\.stepID), ["stall"])
        XCTAssertEqual(hits["stall"], 2, "the released run did not execute its step again")
        try await restarted.asyncShutdown()
    }
}
