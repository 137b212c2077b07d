import Foundation
import Hookflow
import XCTest

/// Notes when it started.
private struct Stamp: Workflow {
    static let id = "stamp"
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Double {
        try await ctx.step.run("stamp") { Date().timeIntervalSince1970 }
    }
}

/// Delayed starts, on every backend.
final class DelayedStartTests: XCTestCase {
    private func start() async throws -> Harness {
        let harness = try await Harness.start(workers: 2) { $0.register(Stamp()) }
        addTeardownBlock { try await harness.stop() }
        return harness
    }

    func testADelayedRunSleepsUntilItsStartAndThenRuns() async throws {
        let harness = try await start()
        let triggered = Date()
        let runID = try await harness.engine.trigger(Stamp.self, input: nil, delay: .milliseconds(500))
        let waiting = try await harness.store.run(runID)
        XCTAssertEqual(waiting?.status, .sleeping)
        XCTAssertEqual(waiting?.wakeAt?.timeIntervalSince(triggered) ?? 0, 0.5, accuracy: 0.2)
        let steps = try await harness.steps(runID)
        XCTAssertTrue(steps.isEmpty, "the run started before its time")
        let run = try await harness.wait(for: runID, toBe: .completed)
        let started = try XCTUnwrap(run.result.flatMap(Double.init))
        XCTAssertGreaterThanOrEqual(started, triggered.timeIntervalSince1970 + 0.45, "the run started before its delay ran out")
    }

    func testARunToStartAtATimeCanBeCancelledBeforeItStarts() async throws {
        let harness = try await start()
        let runID = try await harness.engine.trigger(Stamp.self, input: nil, at: Date().addingTimeInterval(3600))
        guard case .cancelled = try await harness.engine.cancel(runID) else { return XCTFail("a delayed run was not cancelled at once") }
        let steps = try await harness.steps(runID)
        XCTAssertTrue(steps.isEmpty)
    }

    func testADelayAndAStartTimeTogetherAreRefused() async throws {
        let harness = try await start()
        do {
            try await harness.engine.trigger(Stamp.self, input: nil, at: Date(), delay: .seconds(1))
            XCTFail("both were accepted")
        } catch let error as InvalidParameterError {
            XCTAssertEqual(error.parameter, "delay")
        }
        do {
            try await harness.engine.trigger(Stamp.self, input: nil, delay: .seconds(-1))
            XCTFail("a negative delay was accepted")
        } catch let error as InvalidParameterError {
            XCTAssertTrue(error.description.contains("must not be negative"))
        }
    }
}
