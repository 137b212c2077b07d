import Foundation
import Hookflow
import Synchronization
import XCTest

/// What each invocation of ``RecordedValues`` saw.
private final class Seen: Sendable {
    let values = Mutex<[[String]]>([])
}

/// Reads the time, a UUID and random numbers, sleeps, and reads them again.
private struct RecordedValues: Workflow {
    static let id = "recorded-values"
    let seen: Seen

    func run(_ ctx: WorkflowContext<JSON>) async throws -> [String] {
        let before = [
            "\(try await ctx.now.timeIntervalSince1970)", "\(try await ctx.uuid())",
            "\(try await ctx.random(in: 1...1_000_000_000))", "\(try await ctx.random(in: 0..<1.0))",
        ]
        seen.values.withLock { $0.append(before) }
        try await ctx.step.sleep("nap", for: .milliseconds(50))
        let after = "\(try await ctx.uuid())"
        return before + [after]
    }
}

/// A step whose first attempt hangs past its timeout.
private struct HangsOnceThenQuotes: Workflow {
    static let id = "hangs-once-then-quotes"
    let counter: Counter

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("quote", timeout: .milliseconds(200), retry: .exponential(maxAttempts: 3, initialDelay: .milliseconds(10))) {
            if counter.hit("attempt") == 1 {
                do {
                    try await Task.sleep(for: .seconds(30))
                } catch {
                    counter.hit("cancelled")
                    throw error
                }
            }
            return "quoted"
        }
    }
}

/// Waits for a child that sleeps an hour, with half a second to live.
private struct Impatient: Workflow {
    static let id = "impatient"
    static let executionTimeout: Duration? = .milliseconds(500)

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.invoke("doze", Dozing.self, input: nil)
    }
}

/// A step that takes a minute, with half a second to live.
private struct Overrunning: Workflow {
    static let id = "overrunning"
    static let executionTimeout: Duration? = .milliseconds(500)

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("slow") { () -> String in
            try await Task.sleep(for: .seconds(60))
            return "done"
        }
    }
}

/// Recorded values, step timeouts and execution timeouts, on every backend.
final class TimeoutAndValueTests: XCTestCase {
    private func start(_ register: (inout WorkflowRegistry) -> Void) async throws -> Harness {
        let harness = try await Harness.start(workers: 2, register)
        addTeardownBlock { try await harness.stop() }
        return harness
    }

    func testRecordedTimeUUIDAndRandomNumbersAreTheSameOnEveryReplay() async throws {
        let seen = Seen()
        let harness = try await start { $0.register(RecordedValues(seen: seen)) }
        let runID = try await harness.engine.trigger(RecordedValues.self, input: nil)
        let run = try await harness.wait(for: runID, toBe: .completed)
        let invocations = seen.values.withLock { $0 }
        XCTAssertEqual(invocations.count, 2, "the sleep did not replay the body")
        XCTAssertEqual(invocations.first, invocations.last, "a replay read other values")
        let steps = try await harness.steps(runID)
        XCTAssertEqual(
            Set(steps.keys), ["hookflow.now#1", "hookflow.uuid#1", "hookflow.random#1", "hookflow.random#2", "nap", "hookflow.uuid#2"])
        XCTAssertNotEqual(invocations.first?[1], try XCTUnwrap(run.result).split(separator: ",").last.map(String.init))
    }

    func testAnAttemptPastItsStepTimeoutIsCancelledAndRetried() async throws {
        let counter = Counter()
        let harness = try await start { $0.register(HangsOnceThenQuotes(counter: counter)) }
        let started = ContinuousClock.now
        let runID = try await harness.engine.trigger(HangsOnceThenQuotes.self, input: nil)
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(10), "the hanging attempt was not cut short")
        XCTAssertEqual(run.result, #""quoted""#)
        XCTAssertEqual(counter["cancelled"], 1, "the timed-out body's task was not cancelled")
        let step = try await harness.steps(runID)["quote"]
        XCTAssertEqual(step?.attempts, 2)
    }

    func testARunPastItsExecutionTimeoutFailsAsTimedOutAndItsChildIsCancelled() async throws {
        let harness = try await start {
            $0.register(Impatient())
            $0.register(Dozing())
        }
        let runID = try await harness.engine.trigger(Impatient.self, input: nil)
        let run = try await harness.wait(for: runID, toBe: .failed)
        XCTAssertTrue(run.errorMessage?.contains("timed out") == true, "\(String(describing: run.errorMessage))")
        XCTAssertTrue(run.errorMessage?.contains("impatient's executionTimeout") == true)
        try await harness.wait(for: WorkflowRunID("\(runID):doze"), toBe: .cancelled)
    }

    func testAStepStillRunningAtTheExecutionTimeoutIsCutShort() async throws {
        let harness = try await start { $0.register(Overrunning()) }
        let started = ContinuousClock.now
        let runID = try await harness.engine.trigger(Overrunning.self, input: nil)
        let run = try await harness.wait(for: runID, toBe: .failed)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(10))
        XCTAssertTrue(run.errorMessage?.contains("timed out") == true, "\(String(describing: run.errorMessage))")
        let letters = try await harness.engine.listDeadLetters(DeadLetterFilter(runID: runID))
        XCTAssertEqual(letters.deadLetters.count, 1)
    }
}
