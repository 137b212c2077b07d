import Foundation
import Hookflow
import HookflowVapor
import QStashDevServer
import Vapor
import XCTVapor

/// Sleeps two seconds.
private struct Nap: Workflow {
    static let id = "nap"
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        try await ctx.step.sleep("nap", for: .seconds(2))
        return true
    }
}

/// A step that takes a minute; when cancelled, a refund.
private struct SlowShipping: Workflow {
    static let id = "slow-shipping"
    let counts: StepCounts

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        do {
            try await ctx.step.run("ship") {
                counts.hit("ship")
                try await Task.sleep(for: .seconds(60))
            }
            return "shipped"
        } catch is WorkflowCancelledError {
            try await ctx.step.run("refund") { counts.hit("refund") }
            return "refunded"
        }
    }
}

/// Cancelling runs driven by QStash (its wire protocol, served locally).
final class QStashCancellationTests: XCTestCase {
    func testACancelledSleepingRunsWakeUpIsAcknowledgedAndDropped() async throws {
        let (app, base) = try await makeQStashApp { $0.hookflow.register(Nap()) }
        addTeardownBlock { try await stop(app) }
        let runID = try await app.hookflow.trigger(Nap.self, input: [:])
        try await waitFor(runID, toBe: .sleeping, in: app)
        guard case .cancelled = try await app.hookflow.engine.cancel(runID) else { return XCTFail("not cancelled") }
        // The wake-up still comes, and is answered 2xx: QStash neither retries it nor dead-letters it.
        let delivered = try await deliveredCount(app, base, reaching: 2, within: .seconds(6))
        XCTAssertEqual(delivered, 2, "the start and the wake-up")
        let failed = try await deliveredCount(app, base, state: "FAILED")
        XCTAssertEqual(failed, 0)
        let run = try await app.hookflow.status(of: runID)
        XCTAssertEqual(run?.status, .cancelled)
        XCTAssertEqual(run?.steps.map(\.stepID), ["nap"])
    }

    func testARunningRunCancelledUnderQStashRunsItsCompensationThroughANewDelivery() async throws {
        let counts = StepCounts()
        let (app, _) = try await makeQStashApp { $0.hookflow.register(SlowShipping(counts: counts)) }
        addTeardownBlock { try await stop(app) }
        let runID = try await app.hookflow.trigger(SlowShipping.self, input: [:])
        let started = Date()
        while counts["ship"] == 0, Date().timeIntervalSince(started) < 10 { try await Task.sleep(for: .milliseconds(20)) }
        XCTAssertEqual(counts["ship"], 1)
        guard case .requested = try await app.hookflow.engine.cancel(runID) else { return XCTFail("not requested") }
        let run = try await waitFor(runID, toBe: .cancelled, in: app)
        XCTAssertEqual(run.steps.map(\.stepID), ["refund"])
        XCTAssertEqual(counts["refund"], 1)
    }
}
