import Foundation
import Hookflow
import Synchronization
import XCTest

/// Charges, then ships (a step that takes a minute); when cancelled, refunds for `refundTakes`.
struct CancellableOrder: Workflow {
    static let id = "cancellable-order"
    let counter: Counter
    var refundTakes: Duration = .zero

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("charge") { counter.hit("charge") }
        do {
            try await ctx.step.run("ship") {
                counter.hit("ship")
                do {
                    try await Task.sleep(for: .seconds(60))
                } catch {
                    counter.hit("ship cancelled")
                    throw error
                }
            }
            return "shipped"
        } catch is WorkflowCancelledError {
            counter.hit("cancellation delivered")
            try await ctx.step.run("refund") {
                counter.hit("refund")
                try await Task.sleep(for: refundTakes)
            }
            // A cancelled run cannot sleep: this throws the cancellation again.
            do {
                try await ctx.step.sleep("cool-off", for: .seconds(5))
            } catch is WorkflowCancelledError {
                counter.hit("sleep refused")
            }
            return "refunded"
        }
    }
}

/// Sleeps for an hour.
struct Dozing: Workflow {
    static let id = "dozing"

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.sleep("nap", for: .seconds(3600))
        return "rested"
    }
}

/// Cancelling runs through the engine, on every backend.
final class CancellationTests: XCTestCase {
    private func start(
        leaseDuration: Duration = .seconds(30), grace: Duration = .seconds(30), _ register: (inout WorkflowRegistry) -> Void
    ) async throws -> Harness {
        let harness = try await Harness.start(leaseDuration: leaseDuration, cancellationGracePeriod: grace, register)
        addTeardownBlock { try await harness.stop() }
        return harness
    }

    func testCancellingASleepingRunEndsItAtOnceAndItNeverWakes() async throws {
        let harness = try await start { $0.register(Dozing()) }
        let runID = try await harness.engine.trigger(workflowID: Dozing.id, data: nil)
        try await harness.wait(for: runID, toBe: .sleeping)
        let outcome = try await harness.engine.cancel(runID)
        guard case .cancelled(let run) = outcome else { return XCTFail("got \(outcome)") }
        XCTAssertEqual(run.status, .cancelled)
        XCTAssertEqual(run.errorMessage, "cancelled by an operator")
        let executed = try await harness.engine.executeRun(runID)
        XCTAssertNil(executed, "a cancelled run was executed")
        let stored = try await harness.store.run(runID)
        XCTAssertEqual(stored?.status, .cancelled)
    }

    func testACancelledRunningRunGetsTheErrorAtItsNextStepAndItsCompensationRuns() async throws {
        let counter = Counter()
        let harness = try await start { $0.register(CancellableOrder(counter: counter)) }
        let runID = try await harness.engine.trigger(workflowID: CancellableOrder.id, data: nil)
        let shipping = try await eventually { counter["ship"] == 1 }
        XCTAssertTrue(shipping)
        let outcome = try await harness.engine.cancel(runID)
        guard case .requested(let requested) = outcome else { return XCTFail("got \(outcome)") }
        XCTAssertEqual(requested.status, .running)
        let run = try await harness.wait(for: runID, toBe: .cancelled)
        XCTAssertEqual(run.errorMessage, "cancelled by an operator")
        XCTAssertNil(run.result)
        XCTAssertEqual(counter["ship cancelled"], 1, "the step's task was not cancelled")
        XCTAssertEqual(counter["cancellation delivered"], 1)
        XCTAssertEqual(counter["refund"], 1)
        XCTAssertEqual(counter["sleep refused"], 1)
        XCTAssertEqual(counter["charge"], 1, "a checkpointed step ran again")
        let steps = try await harness.steps(runID)
        XCTAssertEqual(Set(steps.keys), ["charge", "refund"], "the cancelled step was checkpointed")
        let letters = try await harness.engine.listDeadLetters(DeadLetterFilter(runID: runID))
        XCTAssertTrue(letters.deadLetters.isEmpty)
    }

    func testCompensationIsCutShortWhenTheGracePeriodRunsOut() async throws {
        let counter = Counter()
        let harness = try await start(grace: .milliseconds(300)) {
            $0.register(CancellableOrder(counter: counter, refundTakes: .seconds(60)))
        }
        let runID = try await harness.engine.trigger(workflowID: CancellableOrder.id, data: nil)
        let shipping = try await eventually { counter["ship"] == 1 }
        XCTAssertTrue(shipping)
        try await harness.engine.cancel(runID)
        let run = try await harness.wait(for: runID, toBe: .cancelled)
        XCTAssertTrue(run.errorMessage?.contains("grace period") == true, "\(String(describing: run.errorMessage))")
        XCTAssertEqual(counter["refund"], 1)
        let steps = try await harness.steps(runID)
        XCTAssertNil(steps["refund"], "a step cut short was checkpointed")
    }

    func testAnotherInstanceCancelsARunningRunThroughTheStore() async throws {
        let counter = Counter()
        // Leases extended every second: the executing instance hears of the cancellation then.
        let harness = try await start(leaseDuration: .seconds(3)) { $0.register(CancellableOrder(counter: counter)) }
        let runID = try await harness.engine.trigger(workflowID: CancellableOrder.id, data: nil)
        let shipping = try await eventually { counter["ship"] == 1 }
        XCTAssertTrue(shipping)
        // Its own connection to the same database (the same store, in memory).
        let other = try await openTestStore(harness.path)
        addTeardownBlock { try await other.close() }
        var registry = WorkflowRegistry()
        registry.register(CancellableOrder(counter: counter))
        let operatorEngine = WorkflowEngine(store: other, registry: registry, transport: LocalTransport(workers: 1))  // never run: it only cancels
        guard case .requested = try await operatorEngine.cancel(runID) else { return XCTFail("not requested") }
        try await harness.wait(for: runID, toBe: .cancelled)
        XCTAssertEqual(counter["refund"], 1)
        XCTAssertEqual(counter["ship cancelled"], 1)
    }

    func testCancellingAFinishedRunChangesNothingAndSaysSo() async throws {
        let harness = try await start { $0.register(Greet(counter: Counter())) }
        let runID = try await harness.engine.trigger(workflowID: "greet", data: ["name": "a", "times": 1])
        try await harness.wait(for: runID, toBe: .completed)
        guard case .alreadyFinished(let run) = try await harness.engine.cancel(runID) else { return XCTFail("changed") }
        XCTAssertEqual(run.status, .completed)
        let stored = try await harness.store.run(runID)
        XCTAssertEqual(stored?.status, .completed)
        await XCTAssertThrowsErrorAsync(try await harness.engine.cancel("nobody")) {
            XCTAssertTrue($0 is WorkflowRunNotFoundError, "\($0)")
        }
    }

    func testTwentyConcurrentCancelsAndRetriesOfARunningRunHaveOneOutcome() async throws {
        let counter = Counter()
        let harness = try await start { $0.register(CancellableOrder(counter: counter)) }
        let runID = try await harness.engine.trigger(workflowID: CancellableOrder.id, data: nil)
        let shipping = try await eventually { counter["ship"] == 1 }
        XCTAssertTrue(shipping)
        let engine = harness.engine
        let answers = await withTaskGroup(of: String.self) { group in
            for index in 0..<20 {
                group.addTask {
                    do {
                        if index.isMultiple(of: 2) {
                            switch try await engine.cancel(runID) {
                            case .cancelled: return "cancelled"
                            case .requested: return "requested"
                            case .alreadyFinished: return "finished"
                            }
                        }
                        _ = try await engine.retry(runID)
                        return "retried"
                    } catch is WorkflowRunStateError {
                        return "refused"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        }
        XCTAssertEqual(answers["refused"], 10, "\(answers)")
        XCTAssertEqual((answers["requested"] ?? 0) + (answers["finished"] ?? 0), 10, "\(answers)")
        XCTAssertGreaterThan(answers["requested"] ?? 0, 0, "\(answers)")
        try await harness.wait(for: runID, toBe: .cancelled)
        XCTAssertEqual(counter["refund"], 1, "the compensation ran \(counter["refund"]) times")
        XCTAssertEqual(counter["charge"], 1)
    }

    func testTwentyConcurrentCancelsOfASleepingRunCancelItOnce() async throws {
        let harness = try await start { $0.register(Dozing()) }
        let runID = try await harness.engine.trigger(workflowID: Dozing.id, data: nil)
        try await harness.wait(for: runID, toBe: .sleeping)
        let engine = harness.engine
        let outcomes = try await withThrowingTaskGroup(of: CancellationOutcome.self) { group in
            for _ in 0..<20 { group.addTask { try await engine.cancel(runID) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let cancelled = outcomes.filter { if case .cancelled = $0 { true } else { false } }
        XCTAssertEqual(cancelled.count, 1)
        XCTAssertEqual(outcomes.filter { if case .alreadyFinished = $0 { true } else { false } }.count, 19)
    }
}
