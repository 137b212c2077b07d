import Foundation
import Hookflow
import HookflowFluent
import XCTest

struct FlakyCharge: Error, CustomStringConvertible {
    var description: String { "card processor unavailable" }
}

/// "prepare" always succeeds; "charge" fails while `failing` is on.
struct ChargeWorkflow: Workflow {
    static let id = "charge-workflow"
    static let retryPolicy = RetryPolicy.exponential(maxAttempts: 2, initialDelay: .milliseconds(50), jitter: 0)
    let counter: Counter
    let failing: Flag
    let failuresBeforeSuccess: Int

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("prepare") { counter.hit("prepare") }
        return try await ctx.step.run(
            "charge", retry: .exponential(maxAttempts: 3, initialDelay: .milliseconds(100), jitter: 0)
        ) { () -> String in
            let attempt = counter.hit("charge")
            if failing.isOn || attempt <= failuresBeforeSuccess { throw FlakyCharge() }
            return "charged on attempt \(attempt)"
        }
    }
}

final class RetryTests: XCTestCase {
    func testFailingStepIsRetriedAfterDurableBackoff() async throws {
        let counter = Counter()
        let harness = try await Harness.start {
            $0.register(ChargeWorkflow(counter: counter, failing: Flag(false), failuresBeforeSuccess: 2))
        }
        let started = Date()
        let runID = try await harness.engine.trigger(ChargeWorkflow.self, input: [:])
        let run = try await harness.wait(for: runID, toBe: .completed)

        XCTAssertEqual(run.result, #""charged on attempt 3""#)
        XCTAssertEqual(counter["prepare"], 1)
        let charge = try await harness.steps(runID)["charge"]
        XCTAssertEqual(charge?.attempts, 3)
        XCTAssertEqual(charge?.status, .completed)
        // Its start is its last attempt's, after both back-offs, and no later than its checkpoint.
        let chargeStarted = try XCTUnwrap(charge?.startedAt, "the step's start was not recorded")
        XCTAssertLessThanOrEqual(chargeStarted, try XCTUnwrap(charge?.executedAt))
        XCTAssertGreaterThanOrEqual(chargeStarted.timeIntervalSince(started), 0.25, "the start is not the latest attempt's")
        // Back-off of 100 ms, then 200 ms, as durable timers.
        XCTAssertGreaterThanOrEqual(run.completedAt!.timeIntervalSince(started), 0.3)
        try await harness.stop()
    }

    func testRunIsSleepingWithItsErrorBetweenAttempts() async throws {
        struct SlowRetry: Workflow {
            func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
                try await ctx.step.run("flaky", retry: .exponential(maxAttempts: 2, initialDelay: .seconds(60))) {
                    throw FlakyCharge()
                }
                return true
            }
        }
        let harness = try await Harness.start { $0.register(SlowRetry()) }
        let runID = try await harness.engine.trigger(SlowRetry.self, input: [:])
        let run = try await harness.wait(for: runID, toBe: .sleeping)

        XCTAssertGreaterThan(run.wakeAt!.timeIntervalSinceNow, 30, "the back-off is not the policy's")
        let step = try await harness.steps(runID)["flaky"]
        XCTAssertEqual(step?.status, .retrying)
        XCTAssertEqual(step?.attempts, 1)
        XCTAssertEqual(step?.errorMessage, "card processor unavailable")
        try await harness.stop()
    }

    func testExhaustedRetriesFailRunAndWriteDeadLetter() async throws {
        let counter = Counter()
        let harness = try await Harness.start {
            $0.register(ChargeWorkflow(counter: counter, failing: Flag(true), failuresBeforeSuccess: 0))
        }
        let runID = try await harness.engine.trigger(ChargeWorkflow.self, input: ["order": "A-1"])
        let run = try await harness.wait(for: runID, toBe: .failed)

        XCTAssertEqual(counter["charge"], 3)
        XCTAssertEqual(run.errorMessage, "step 'charge' failed after 3 attempts: card processor unavailable")
        let charge = try await harness.steps(runID)["charge"]
        XCTAssertEqual(charge?.status, .failed)
        let letters = try await harness.store.deadLetters(limit: 10)
        let letter = try XCTUnwrap(letters.first)
        XCTAssertEqual(letter.runID, runID)
        XCTAssertEqual(letter.workflowID, ChargeWorkflow.id)
        XCTAssertEqual(letter.stepID, "charge")
        XCTAssertEqual(letter.input, #"{"order":"A-1"}"#)
        XCTAssertNil(letter.replayedAt)
        try await harness.stop()
    }

    func testDeadLetterReplayResumesFromFailedStep() async throws {
        let counter = Counter()
        let failing = Flag(true)
        let harness = try await Harness.start {
            $0.register(ChargeWorkflow(counter: counter, failing: failing, failuresBeforeSuccess: 0))
        }
        let runID = try await harness.engine.trigger(ChargeWorkflow.self, input: [:])
        try await harness.wait(for: runID, toBe: .failed)
        let letters = try await harness.store.deadLetters(limit: 10)
        let letter = try XCTUnwrap(letters.first)

        failing.set(false)
        let replayed = try await harness.engine.replayDeadLetter(id: letter.id)
        let run = try await harness.wait(for: runID, toBe: .completed)

        XCTAssertEqual(replayed, runID)
        XCTAssertEqual(counter["prepare"], 1, "a completed step ran again on replay")
        XCTAssertEqual(run.result, #""charged on attempt 4""#)
        XCTAssertNil(run.errorMessage)
        let charge = try await harness.steps(runID)["charge"]
        XCTAssertEqual(charge?.attempts, 1, "the replayed step did not get fresh attempts")
        let afterReplay = try await harness.store.deadLetters(limit: 10)
        XCTAssertNotNil(afterReplay.first?.replayedAt)
        do {
            try await harness.engine.replayDeadLetter(id: letter.id)
            XCTFail("a dead letter was replayed twice")
        } catch is DeadLetterNotFoundError {}
        try await harness.stop()
    }

    func testNonRetryableErrorFailsAtOnce() async throws {
        struct Declines: Workflow {
            let counter: Counter
            func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
                try await ctx.step.run("charge", retry: .exponential(maxAttempts: 5)) {
                    counter.hit("charge")
                    throw NonRetryableError("card declined")
                }
                return true
            }
        }
        let counter = Counter()
        let harness = try await Harness.start { $0.register(Declines(counter: counter)) }
        let runID = try await harness.engine.trigger(Declines.self, input: [:])
        let run = try await harness.wait(for: runID, toBe: .failed)

        XCTAssertEqual(counter["charge"], 1)
        XCTAssertEqual(run.errorMessage, "step 'charge' failed after 1 attempt: card declined")
        try await harness.stop()
    }

    func testWorkflowRetryPolicyAppliesToStepsWithoutTheirOwn() async throws {
        struct UsesDefault: Workflow {
            static let retryPolicy = RetryPolicy.exponential(maxAttempts: 2, initialDelay: .milliseconds(10))
            let counter: Counter
            func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
                try await ctx.step.run("always-fails") {
                    counter.hit("always-fails")
                    throw FlakyCharge()
                }
                return true
            }
        }
        let counter = Counter()
        let harness = try await Harness.start { $0.register(UsesDefault(counter: counter)) }
        let runID = try await harness.engine.trigger(UsesDefault.self, input: [:])
        try await harness.wait(for: runID, toBe: .failed)
        XCTAssertEqual(counter["always-fails"], 2)
        try await harness.stop()
    }
}
