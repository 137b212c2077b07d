import Foundation
import Hookflow
import Synchronization
import XCTest

/// Three counted steps, for forks.
struct ThreeSteps: Workflow {
    static let id = "three-steps"
    let counter: Counter

    func run(_ ctx: WorkflowContext<JSON>) async throws -> Int {
        try await ctx.step.run("one") { counter.hit("one") }
        try await ctx.step.run("two") { counter.hit("two") }
        return try await ctx.step.run("three") { counter.hit("three") }
    }
}

/// Retry, re-run and fork through the engine, on every backend.
final class OperationsTests: XCTestCase {
    private func start(_ register: (inout WorkflowRegistry) -> Void) async throws -> Harness {
        let harness = try await Harness.start(register)
        addTeardownBlock { try await harness.stop() }
        return harness
    }

    /// A run of ``ChargeWorkflow`` that failed at "charge" while `failing` was on.
    private func failedCharge(_ harness: Harness) async throws -> WorkflowRunID {
        let runID = try await harness.engine.trigger(ChargeWorkflow.self, input: [:])
        try await harness.wait(for: runID, toBe: .failed)
        return runID
    }

    func testARetryResumesAFailedRunFromItsFailedStepByRunID() async throws {
        let counter = Counter()
        let failing = Flag(true)
        let harness = try await start { $0.register(ChargeWorkflow(counter: counter, failing: failing, failuresBeforeSuccess: 0)) }
        let runID = try await failedCharge(harness)
        failing.set(false)
        let reopened = try await harness.engine.retry(runID)
        XCTAssertEqual(reopened.status, .pending)
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, #""charged on attempt 4""#)
        XCTAssertEqual(counter["prepare"], 1, "a completed step ran again")
        let letters = try await harness.engine.listDeadLetters(DeadLetterFilter(runID: runID))
        XCTAssertNotNil(letters.deadLetters.first?.replayedAt)
    }

    func testARetryOfARunThatHasNotFailedSaysWhereItStands() async throws {
        let harness = try await start { $0.register(Greet(counter: Counter())) }
        let runID = try await harness.engine.trigger(workflowID: "greet", data: ["name": "a", "times": 1])
        try await harness.wait(for: runID, toBe: .completed)
        await XCTAssertThrowsErrorAsync(try await harness.engine.retry(runID)) { error in
            let state = error as? WorkflowRunStateError
            XCTAssertEqual(state?.status, .completed, "\(error)")
            XCTAssertTrue("\(error)".contains("completed, not failed"), "\(error)")
        }
        await XCTAssertThrowsErrorAsync(try await harness.engine.retry("nobody")) {
            XCTAssertTrue($0 is WorkflowRunNotFoundError, "\($0)")
        }
    }

    func testConcurrentRetriesOfOneRunHaveExactlyOneOutcome() async throws {
        let counter = Counter()
        let failing = Flag(true)
        let harness = try await start { $0.register(ChargeWorkflow(counter: counter, failing: failing, failuresBeforeSuccess: 0)) }
        let runID = try await failedCharge(harness)
        failing.set(false)
        let engine = harness.engine
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do {
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
        XCTAssertEqual(outcomes, ["retried": 1, "refused": 19])
        try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(counter["charge"], 4, "the retried step ran more than once")
    }

    func testARerunStartsANewRunWithTheSameInput() async throws {
        let counter = Counter()
        let harness = try await start { $0.register(Greet(counter: counter)) }
        let first = try await harness.engine.trigger(workflowID: "greet", data: ["name": "ada", "times": 2])
        try await harness.wait(for: first, toBe: .completed)
        let second = try await harness.engine.rerun(first)
        XCTAssertNotEqual(second, first)
        let run = try await harness.wait(for: second, toBe: .completed)
        let original = try await harness.store.run(first)
        XCTAssertEqual(run.input, original?.input)
        XCTAssertEqual(run.result, original?.result)
    }

    func testAForkExecutesFromItsStepKeepingTheCheckpointsBeforeIt() async throws {
        let counter = Counter()
        let harness = try await start { $0.register(ThreeSteps(counter: counter)) }
        let source = try await harness.engine.trigger(ThreeSteps.self, input: [:])
        try await harness.wait(for: source, toBe: .completed)
        let fork = try await harness.engine.fork(source, fromStep: "two")
        let run = try await harness.wait(for: fork, toBe: .completed)
        XCTAssertEqual(run.result, "2", "the fork did not run step three again")
        XCTAssertEqual(counter["one"], 1, "the fork ran a step it kept")
        XCTAssertEqual(counter["two"], 2)
        await XCTAssertThrowsErrorAsync(try await harness.engine.fork(source, fromStep: "four")) {
            XCTAssertTrue($0 is StepNotFoundError, "\($0)")
        }
    }

    func testAListingRefusesALimitOrFilterItCannotUseNamingIt() async throws {
        let harness = try await start { _ in }
        for limit in [0, -1, 1001] {
            await XCTAssertThrowsErrorAsync(try await harness.engine.listRuns(limit: limit)) { error in
                XCTAssertEqual((error as? InvalidParameterError)?.parameter, "limit", "\(error)")
            }
        }
        await XCTAssertThrowsErrorAsync(try await harness.engine.listRuns(RunFilter(runIDPrefix: "a\u{0}b"))) { error in
            XCTAssertEqual((error as? InvalidParameterError)?.parameter, "prefix", "\(error)")
        }
        let empty = try await harness.engine.listRuns(limit: 1000)
        XCTAssertEqual(empty.runs, [])
    }
}

/// Clean-up through the engine and the service's retention, on every backend.
final class CleanupTests: XCTestCase {
    func testACleanUpDeletesOnlyWhatIsOlderThanTheAgeAndADryRunOnlyCounts() async throws {
        let store = try await openTestStore(try await temporaryDatabasePath())
        addTeardownBlock { try await store.close() }
        let clock = TestNow(t0)
        let engine = WorkflowEngine(
            store: store, registry: WorkflowRegistry(), transport: LocalTransport(workers: 1),
            configuration: .init(now: { clock.now }))
        for index in 0..<5 {
            try await store.createRunning(WorkflowRunID("old-\(index)"), now: t0)
            try await store.commit(
                runID: WorkflowRunID("old-\(index)"), owner: "worker", step: nil,
                transition: index == 0 ? .fail(stepID: nil, error: "x") : .complete(result: "1"), now: t0)
        }
        try await store.createRunning("recent", now: t0 + 86_400 * 9)
        try await store.commit(runID: "recent", owner: "worker", step: nil, transition: .complete(result: "1"), now: t0 + 86_400 * 9)
        clock.now = t0 + 86_400 * 10

        let dry = try await engine.cleanUp(olderThan: .seconds(86_400 * 7), dryRun: true)
        XCTAssertEqual(dry, CleanupReport(runs: 5, deadLetters: 1))
        let lettersOnly = try await engine.cleanUp(olderThan: .seconds(86_400 * 7), scope: .deadLetters, dryRun: true)
        XCTAssertEqual(lettersOnly, CleanupReport(runs: 0, deadLetters: 1))
        let untouched = try await store.listRuns(RunFilter(), after: nil, limit: 10).runs.count
        XCTAssertEqual(untouched, 6, "a dry run deleted")

        let report = try await engine.cleanUp(olderThan: .seconds(86_400 * 7), batchSize: 2)
        XCTAssertEqual(report, CleanupReport(runs: 5, deadLetters: 1))
        let left = try await store.listRuns(RunFilter(), after: nil, limit: 10).runs.map(\.runID)
        XCTAssertEqual(left, ["recent"])
        await XCTAssertThrowsErrorAsync(try await engine.cleanUp(olderThan: .seconds(-1))) { error in
            XCTAssertEqual((error as? InvalidParameterError)?.parameter, "age", "\(error)")
        }
    }

    func testTheServiceDeletesRunsPastTheirRetention() async throws {
        let store = try await openTestStore(try await temporaryDatabasePath())
        let counter = Counter()
        var registry = WorkflowRegistry()
        registry.register(Greet(counter: counter))
        let engine = WorkflowEngine(store: store, registry: registry, transport: LocalTransport(workers: 1, safetyInterval: .seconds(3600)))
        let runID = try await engine.trigger(Greet.self, input: .init(name: "a", times: 1))
        let service = Task {
            await HookflowService(engine: engine, retention: .milliseconds(300), retentionInterval: .milliseconds(100)).run()
        }
        addTeardownBlock {
            engine.beginShutdown()
            await service.value
            try await store.close()
        }
        let deleted = try await eventually { try await store.run(runID) == nil }
        XCTAssertTrue(deleted, "the finished run outlived its retention")
        XCTAssertEqual(counter["greet"], 1)
    }
}

/// A clock a test sets.
final class TestNow: Sendable {
    private let value: Mutex<Date>
    init(_ date: Date) { value = Mutex(date) }
    var now: Date {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
