import Foundation
import Hookflow
import HookflowFluent
import Synchronization
import XCTest

/// One long step, which notes whether it saw its Task cancelled.
private struct LongStep: Workflow {
    static let id = "long-step"
    let counter: Counter

    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        try await ctx.step.run("long") { () -> String in
            counter.hit("started:\(ctx.data)")
            do {
                try await Task.sleep(for: .seconds(3))
            } catch {
                counter.hit("cancelled:\(ctx.data)")
                throw error
            }
            counter.hit("finished:\(ctx.data)")
            return "done"
        }
    }
}

/// A body whose lease is lost is cancelled and its result never checkpointed (issue 10, defect 6).
final class LostLeaseTests: XCTestCase {
    private func start(_ store: InterceptingStore, counter: Counter) -> WorkflowEngine {
        startEngine(on: store, workers: 2, leaseDuration: .milliseconds(600)) { $0.register(LongStep(counter: counter)) }
    }

    func testALostLeaseCancelsTheBodyAndItsResultIsNotCheckpointed() async throws {
        let base = try await openTestStore(try await temporaryDatabasePath())
        // Another instance took the run: every heartbeat of "stolen" is fenced out.
        let store = InterceptingStore(base) { runID, step, transition in
            if runID == "stolen", step == nil, case .keepRunning = transition { throw LeaseLostError(runID: runID) }
        }
        let counter = Counter()
        let engine = start(store, counter: counter)
        let started = ContinuousClock.now
        try await engine.trigger(LongStep.self, input: "stolen", runID: "stolen")
        let cancelled = try await eventually(timeout: .seconds(5)) { counter["cancelled:stolen"] == 1 }
        XCTAssertTrue(cancelled, "the body kept running after its lease was lost")
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(1500), "cancelled only after \(ContinuousClock.now - started)")
        try await Task.sleep(for: .milliseconds(300))
        let steps = try await base.steps(of: "stolen")
        XCTAssertFalse(steps.contains { $0.stepID == "long" && $0.status == .completed }, "a lost lease's result was checkpointed")
        XCTAssertEqual(counter["finished:stolen"], 0)
    }

    func testAHangingHeartbeatDelaysNoOtherLeaseAndCancelsItsOwnBody() async throws {
        let base = try await openTestStore(try await temporaryDatabasePath())
        // The heartbeats of "hung" never answer (a connection the server is closing).
        let store = InterceptingStore(base) { runID, step, transition in
            if runID == "hung", step == nil, case .keepRunning = transition { try await Task.sleep(for: .seconds(3600)) }
        }
        let counter = Counter()
        let engine = start(store, counter: counter)
        try await engine.trigger(LongStep.self, input: "hung", runID: "hung")
        try await engine.trigger(LongStep.self, input: "healthy", runID: "healthy")
        let cancelled = try await eventually(timeout: .seconds(5)) { counter["cancelled:hung"] == 1 }
        XCTAssertTrue(cancelled, "a body whose lease no heartbeat could confirm kept running")
        let healthy = try await eventually(timeout: .seconds(10)) { try await base.run("healthy")?.status == .completed }
        XCTAssertTrue(healthy, "a hanging heartbeat of another run let this run's lease lapse")
        XCTAssertEqual(counter["started:healthy"], 1, "the healthy run was taken over and ran its step again")
        XCTAssertEqual(counter["cancelled:healthy"], 0)
    }
}
