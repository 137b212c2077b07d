import Foundation
import Hookflow
import Synchronization
import XCTest

/// What a failure handler was told.
private final class Told: Sendable {
    let errors = Mutex<[WorkflowError]>([])
}

/// Charges (declined when its input says so, or after a minute), and notifies when it fails.
private struct Charging: FailureHandlingWorkflow {
    static let id = "charging"
    let counter: Counter
    let told: Told

    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        switch ctx.data {
        case "thrown": throw NonRetryableError("the body gave up")
        case "dozing": try await ctx.step.sleep("doze", for: .seconds(3600))
        case "slow":
            try await ctx.step.run("charge") { try await Task.sleep(for: .seconds(60)) }
        default:
            try await ctx.step.run("charge") {
                counter.hit("charge")
                throw NonRetryableError("card declined")
            }
        }
        return "charged"
    }

    func onFailure(_ ctx: FailureContext<String>, error: WorkflowError) async throws {
        told.errors.withLock { $0.append(error) }
        try await ctx.step.run("notify") { counter.hit("notify") }
        if ctx.data == "pausing" {
            try await ctx.step.sleep("pause", for: .milliseconds(100))
            try await ctx.step.run("notify-again") { counter.hit("notify-again") }
        }
        if ctx.data == "handler-fails" { throw NonRetryableError("pager unreachable") }
    }
}

/// Failure handlers, on every backend.
final class FailureHandlerTests: XCTestCase {
    private func start(_ counter: Counter, _ told: Told) async throws -> Harness {
        let harness = try await Harness.start(workers: 2, cancellationGracePeriod: .seconds(10)) {
            $0.register(Charging(counter: counter, told: told))
        }
        addTeardownBlock { try await harness.stop() }
        return harness
    }

    func testAFailedRunRunsItsHandlerOnceWithTheFailureThenFails() async throws {
        let counter = Counter(), told = Told()
        let harness = try await start(counter, told)
        let runID = try await harness.engine.trigger(Charging.self, input: "declined")
        let run = try await harness.wait(for: runID, toBe: .failed)
        XCTAssertTrue(run.errorMessage?.contains("card declined") == true, "\(String(describing: run.errorMessage))")
        XCTAssertEqual(counter["notify"], 1)
        XCTAssertEqual(counter["charge"], 1)
        let error = try XCTUnwrap(told.errors.withLock { $0 }.first)
        XCTAssertEqual(error.status, .failed)
        XCTAssertEqual(error.stepID, "charge")
        XCTAssertTrue(error.message.contains("card declined"))
        let steps = try await harness.steps(runID)
        XCTAssertEqual(steps["charge"]?.status, .failed)
        XCTAssertEqual(steps["notify"]?.status, .completed)
        let letters = try await harness.engine.listDeadLetters(DeadLetterFilter(runID: runID))
        XCTAssertEqual(letters.deadLetters.map(\.stepID), ["charge"])
    }

    func testAHandlerThatSuspendsResumesWithoutRunningItsStepsAgain() async throws {
        let counter = Counter(), told = Told()
        let harness = try await start(counter, told)
        let runID = try await harness.engine.trigger(Charging.self, input: "pausing")
        let run = try await harness.wait(for: runID, toBe: .failed)
        XCTAssertTrue(run.errorMessage?.contains("card declined") == true)
        XCTAssertEqual(counter["charge"], 1, "the failed step ran again when the run resumed its handler")
        XCTAssertEqual(counter["notify"], 1, "the handler's checkpointed step ran again")
        XCTAssertEqual(counter["notify-again"], 1)
    }

    func testAHandlerThatFailsIsRecordedBesideTheFailureAndNotRunAgain() async throws {
        let counter = Counter(), told = Told()
        let harness = try await start(counter, told)
        let runID = try await harness.engine.trigger(Charging.self, input: "handler-fails")
        let run = try await harness.wait(for: runID, toBe: .failed)
        let message = try XCTUnwrap(run.errorMessage)
        XCTAssertTrue(message.contains("card declined") && message.contains("its failure handler failed too: pager unreachable"), message)
        XCTAssertEqual(counter["notify"], 1)
        XCTAssertEqual(told.errors.withLock { $0.count }, 1)
    }

    func testTheBodysOwnErrorReachesTheHandler() async throws {
        let counter = Counter(), told = Told()
        let harness = try await start(counter, told)
        let runID = try await harness.engine.trigger(Charging.self, input: "thrown")
        let run = try await harness.wait(for: runID, toBe: .failed)
        XCTAssertTrue(run.errorMessage?.contains("the body gave up") == true)
        let error = try XCTUnwrap(told.errors.withLock { $0 }.first)
        XCTAssertNil(error.stepID)
        XCTAssertEqual(counter["notify"], 1)
    }

    func testASleepingRunCancelledRunsItsHandlerInAnInvocationThenEndsCancelled() async throws {
        let counter = Counter(), told = Told()
        let harness = try await start(counter, told)
        let runID = try await harness.engine.trigger(Charging.self, input: "dozing")
        try await harness.wait(for: runID, toBe: .sleeping)
        let outcome = try await harness.engine.cancel(runID)
        guard case .requested = outcome else { return XCTFail("a run with a failure handler was cancelled without it: \(outcome)") }
        try await harness.wait(for: runID, toBe: .cancelled)
        XCTAssertEqual(counter["notify"], 1)
        XCTAssertEqual(told.errors.withLock { $0 }.first?.status, .cancelled)
    }

    func testACancelledRunRunsItsHandlerBeforeItEndsCancelled() async throws {
        let counter = Counter(), told = Told()
        let harness = try await start(counter, told)
        let runID = try await harness.engine.trigger(Charging.self, input: "slow")
        try await harness.wait(for: runID, toBe: .running)
        try await Task.sleep(for: .milliseconds(100))
        _ = try await harness.engine.cancel(runID)
        try await harness.wait(for: runID, toBe: .cancelled)
        XCTAssertEqual(counter["notify"], 1)
        XCTAssertEqual(told.errors.withLock { $0 }.first?.status, .cancelled)
    }
}
