import Foundation
import Hookflow
import XCTest

/// Checkpoints and run transitions, fenced by the lease, on every store.
final class StoreConformanceCommitTests: XCTestCase {
    func testEachTransitionLeavesTheRunInItsState() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", owner: "a", now: t0, leaseUntil: t0 + 30)
        try await store.commit(
            runID: "r", owner: "a", step: stepRecord("one"), transition: .keepRunning(leaseUntil: t0 + 60), now: t0 + 1)
        var run = try await store.run("r")
        XCTAssertEqual(run?.status, .running)
        XCTAssertEqual(run?.leaseUntil, t0 + 60)

        try await store.commit(runID: "r", owner: "a", step: nil, transition: .release, now: t0 + 2)
        run = try await store.run("r")
        XCTAssertEqual(run?.status, .pending)
        XCTAssertNil(run?.leaseUntil)

        _ = try await store.claimRun("r", owner: "b", leaseUntil: t0 + 90, now: t0 + 3)
        try await store.commit(runID: "r", owner: "b", step: nil, transition: .suspend(wakeAt: t0 + 300), now: t0 + 4)
        run = try await store.run("r")
        XCTAssertEqual(run?.status, .sleeping)
        XCTAssertEqual(run?.wakeAt, t0 + 300)
        XCTAssertNil(run?.leaseUntil)

        _ = try await store.claimRun("r", owner: "c", leaseUntil: t0 + 400, now: t0 + 300)
        try await store.commit(runID: "r", owner: "c", step: nil, transition: .complete(result: #"{"ok":true}"#), now: t0 + 301)
        run = try await store.run("r")
        XCTAssertEqual(run?.status, .completed)
        XCTAssertEqual(run?.result, #"{"ok":true}"#)
        XCTAssertEqual(run?.completedAt, t0 + 301)
        XCTAssertNil(run?.wakeAt)
        let steps = try await store.steps(of: "r")
        XCTAssertEqual(steps.map(\.stepID), ["one"])
    }

    func testAFailedRunKeepsItsErrorAndLeavesADeadLetter() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", owner: "a", now: t0)
        try await store.commit(
            runID: "r", owner: "a", step: stepRecord("charge", status: .failed, result: nil, attempts: 3),
            transition: .fail(stepID: "charge", error: "card declined"), now: t0 + 5)
        let run = try await store.run("r")
        XCTAssertEqual(run?.status, .failed)
        XCTAssertEqual(run?.errorMessage, "card declined")
        XCTAssertEqual(run?.completedAt, t0 + 5)
        let letters = try await store.deadLetters(limit: 10)
        XCTAssertEqual(letters.count, 1)
        XCTAssertEqual(letters.first?.runID, "r")
        XCTAssertEqual(letters.first?.workflowID, "w")
        XCTAssertEqual(letters.first?.stepID, "charge")
        XCTAssertEqual(letters.first?.input, #"{"n":1}"#)
        XCTAssertEqual(letters.first?.errorMessage, "card declined")
        XCTAssertEqual(letters.first?.createdAt, t0 + 5)
        XCTAssertNil(letters.first?.replayedAt)
    }

    func testALeaseNeverMovesBackwards() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", owner: "a", now: t0, leaseUntil: t0 + 30)
        try await store.commit(runID: "r", owner: "a", step: nil, transition: .keepRunning(leaseUntil: t0 + 60), now: t0 + 1)
        // A slow heartbeat that lands after a later extension.
        try await store.commit(runID: "r", owner: "a", step: nil, transition: .keepRunning(leaseUntil: t0 + 40), now: t0 + 2)
        let run = try await store.run("r")
        XCTAssertEqual(run?.leaseUntil, t0 + 60)
    }

    func testAWriteWithoutTheLeaseIsRefusedAndWritesNothing() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", owner: "a", now: t0, leaseUntil: t0 + 10)
        await assertLeaseLost(store, owner: "intruder", step: stepRecord("stolen"), .keepRunning(leaseUntil: t0 + 60))
        // The lease lapses and another worker takes the run over: the first one's writes are fenced off.
        _ = try await store.claimRun("r", owner: "b", leaseUntil: t0 + 60, now: t0 + 11)
        for transition: RunTransition in [
            .keepRunning(leaseUntil: t0 + 90), .suspend(wakeAt: t0 + 90), .release, .complete(result: "1"),
            .fail(stepID: nil, error: "x"),
        ] {
            await assertLeaseLost(store, owner: "a", step: stepRecord("late"), transition)
        }
        let steps = try await store.steps(of: "r")
        XCTAssertEqual(steps, [], "a refused write left a step")
        let run = try await store.run("r")
        XCTAssertEqual(run?.status, .running)
        XCTAssertEqual(run?.leaseUntil, t0 + 60)
        let letters = try await store.deadLetters(limit: 10)
        XCTAssertEqual(letters, [])
        // A finished run takes no write at all.
        try await store.commit(runID: "r", owner: "b", step: nil, transition: .complete(result: "1"), now: t0 + 12)
        await assertLeaseLost(store, owner: "b", step: nil, .keepRunning(leaseUntil: t0 + 90))
        await assertLeaseLost(store, runID: "nobody", owner: "b", step: nil, .release)
    }

    func testAStepWrittenAgainKeepsItsPositionAndTakesTheLatestAttempt() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", owner: "a", now: t0)
        let lease = RunTransition.keepRunning(leaseUntil: t0 + 30)
        try await store.commit(runID: "r", owner: "a", step: stepRecord("b", sequence: 1), transition: lease, now: t0)
        try await store.commit(
            runID: "r", owner: "a",
            step: stepRecord("a", status: .retrying, result: nil, attempts: 1, sequence: 0, wakeAt: t0 + 5), transition: lease,
            now: t0)
        var retried = stepRecord("a", status: .completed, result: #""done""#, attempts: 2, sequence: 7, at: t0 + 6)
        retried.kind = .call
        try await store.commit(runID: "r", owner: "a", step: retried, transition: lease, now: t0 + 6)
        let steps = try await store.steps(of: "r")
        XCTAssertEqual(steps.map(\.stepID), ["a", "b"], "steps are not in execution order")
        let first = try XCTUnwrap(steps.first)
        XCTAssertEqual(first.kind, .run, "a rewrite changed the step's kind")
        XCTAssertEqual(first.sequence, 0, "a rewrite moved the step")
        XCTAssertEqual(first.status, .completed)
        XCTAssertEqual(first.result, #""done""#)
        XCTAssertEqual(first.attempts, 2)
        XCTAssertNil(first.wakeAt)
        XCTAssertEqual(first.executedAt, t0 + 6)
    }

    private func assertLeaseLost(
        _ store: any WorkflowStore, runID: WorkflowRunID = "r", owner: String, step: StepRecord?, _ transition: RunTransition,
        file: StaticString = #filePath, line: UInt = #line
    ) async {
        do {
            try await store.commit(runID: runID, owner: owner, step: step, transition: transition, now: t0 + 20)
            XCTFail("\(transition) by \(owner) was written without the lease", file: file, line: line)
        } catch {
            XCTAssertTrue(error is LeaseLostError, "\(error)", file: file, line: line)
        }
    }
}
