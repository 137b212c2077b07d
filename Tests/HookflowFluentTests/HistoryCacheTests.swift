import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// 100 steps, then a wait for an event, then one more step: a long history that wakes.
struct LongThenWait: Workflow {
    static let id = "long-then-wait"
    let counter: Counter

    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        var total = 0
        for index in 0..<100 {
            total += try await ctx.step.run("s\(index)") {
                counter.hit("s")
                return index
            }
        }
        _ = try await ctx.step.waitForEvent("first", key: "first:\(ctx.data)", as: String.self, timeout: .seconds(3600))
        _ = try await ctx.step.waitForEvent("second", key: "second:\(ctx.data)", as: String.self, timeout: .seconds(3600))
        let last = try await ctx.step.run("last") { "mine" }
        return "\(total) \(last)"
    }
}

final class HistoryCacheTests: XCTestCase {
    private func start(cacheSteps: Int = 100_000) async throws -> (Harness, InterceptingStore) {
        let counter = Counter()
        var intercepting: InterceptingStore?
        let harness = try await Harness.start(historyCacheSteps: cacheSteps, wrap: { base in
            let store = InterceptingStore(base) { _, _, _ in }
            intercepting = store
            return store
        }) { $0.register(LongThenWait(counter: counter)) }
        addTeardownBlock { try? await harness.stop() }
        return (harness, try XCTUnwrap(intercepting))
    }

    func testALongRunThatWakesHereReadsItsHistoryOnlyOnce() async throws {
        let (harness, store) = try await start()
        let (runID, run) = try await runThroughBothWaits("a", harness, store)
        XCTAssertEqual(run.result, #""4950 mine""#)
        XCTAssertEqual(store.historyReads.withLock { $0[runID] }, 1, "a wake-up read the history again (the first read finds it empty)")
    }

    func testAHistoryWrittenElsewhereWhileTheRunSleptIsReadAgain() async throws {
        let (harness, store) = try await start()
        let runID = try await harness.engine.trigger(LongThenWait.self, input: "b")
        let asleep = try await harness.wait(for: runID, toBe: .sleeping)
        // Another instance takes the run over while it sleeps and checkpoints its last step.
        let now = Date()
        let other = try await store.claimRun(runID, owner: "other", leaseUntil: now + 30, now: now, wakingBy: asleep.wakeAt ?? now)
        XCTAssertNotNil(other, "the sleeping run could not be taken over")
        try await store.commit(
            runID: runID, owner: "other",
            step: StepRecord(stepID: "last", kind: .run, status: .completed, result: #""theirs""#, attempts: 1, sequence: 500, executedAt: now),
            transition: .suspend(wakeAt: now + 3600), now: now)
        _ = try await harness.engine.notify(key: "first:b", payload: "go")
        _ = try await harness.engine.notify(key: "second:b", payload: "go")
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, #""4950 theirs""#, "the run replayed a history kept from before another instance wrote to it")
        XCTAssertEqual(store.historyReads.withLock { $0[runID] }, 2, "the history was not read again after it changed elsewhere")
    }

    func testWithNoCacheEveryWakeReadsTheHistory() async throws {
        let (harness, store) = try await start(cacheSteps: 0)
        let (runID, _) = try await runThroughBothWaits("c", harness, store)
        XCTAssertEqual(store.historyReads.withLock { $0[runID] }, 3)
    }

    /// Triggers a run of ``LongThenWait`` for `input` and wakes it at each of its two waits, one
    /// after the other; returns the run once completed.
    private func runThroughBothWaits(
        _ input: String, _ harness: Harness, _ store: InterceptingStore
    ) async throws -> (WorkflowRunID, RunRecord) {
        let runID = try await harness.engine.trigger(LongThenWait.self, input: input)
        try await harness.wait(for: runID, toBe: .sleeping)
        _ = try await harness.engine.notify(key: "first:\(input)", payload: "go")
        try await waitForStep("first", of: runID, in: store)
        try await harness.wait(for: runID, toBe: .sleeping)
        _ = try await harness.engine.notify(key: "second:\(input)", payload: "go")
        return (runID, try await harness.wait(for: runID, toBe: .completed))
    }

    /// Waits until `stepID` of the run is completed (reading past the count of history reads).
    private func waitForStep(_ stepID: String, of runID: WorkflowRunID, in store: InterceptingStore) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try await store.base.steps(of: runID).first(where: { $0.stepID == stepID })?.status != .completed {
            guard ContinuousClock.now < deadline else { return XCTFail("step \(stepID) never completed") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
