import Foundation
import Hookflow
import XCTest

/// `cancelRun` and the cancellation a commit reports, on every store.
final class StoreConformanceCancellationTests: XCTestCase {
    func testCancellingAPendingRunCancelsItAtOnceAndItIsNoLongerClaimable() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.createRun(runID: "pending", workflowID: "w", input: "{}", now: t0)
        let outcome = try await store.cancelRun("pending", now: t0 + 1)
        guard case .cancelled(let run)? = outcome else { return XCTFail("got \(String(describing: outcome))") }
        XCTAssertEqual(run.status, .cancelled)
        XCTAssertEqual(run.completedAt, t0 + 1)
        XCTAssertNil(run.cancelRequestedAt)
        let reclaimed = try await store.claimRun("pending", owner: "o", leaseUntil: t0 + 60, now: t0 + 2)
        XCTAssertNil(reclaimed)
        let claimedNext = try await store.claimNextRun(owner: "o", leaseUntil: t0 + 60, now: t0 + 2, workflows: nil)
        XCTAssertNil(claimedNext)
        let cancelledCount = try await store.countRunsByStatus()["w"]?[.cancelled]
        XCTAssertEqual(cancelledCount, 1)
    }

    func testCancellingASleepingRunCancelsItAtOnceAndItNeverWakes() async throws {
        let store = try await makeConformanceStore()
        try await store.createSleeping("sleeper", wakeAt: t0 + 100)
        guard case .cancelled? = try await store.cancelRun("sleeper", now: t0 + 1) else { return XCTFail("not cancelled") }
        let woken = try await store.claimRun("sleeper", owner: "o", leaseUntil: t0 + 200, now: t0 + 150)
        XCTAssertNil(woken)
        let noneOverdue = try await store.overdueRuns(before: t0 + 1000, limit: 10, workflows: nil).isEmpty
        XCTAssertTrue(noneOverdue)
        let wakeAt = try await store.run("sleeper")?.wakeAt
        XCTAssertNil(wakeAt)
    }

    func testCancellingAnExecutingRunNotesTheRequestWhichItsCommitsThenReport() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("busy", owner: "worker", leaseUntil: t0 + 30)
        let before = try await store.commit(
            runID: "busy", owner: "worker", step: stepRecord("a"), transition: .keepRunning(leaseUntil: t0 + 30), now: t0)
        XCTAssertFalse(before)
        guard case .requested(let run)? = try await store.cancelRun("busy", now: t0 + 1) else { return XCTFail("not requested") }
        XCTAssertEqual(run.status, .running)
        XCTAssertEqual(run.cancelRequestedAt, t0 + 1)
        // A second request keeps the first time.
        guard case .requested(let again)? = try await store.cancelRun("busy", now: t0 + 5) else { return XCTFail("not requested") }
        XCTAssertEqual(again.cancelRequestedAt, t0 + 1)
        let checkpoint = try await store.commit(
            runID: "busy", owner: "worker", step: stepRecord("b", sequence: 1), transition: .keepRunning(leaseUntil: t0 + 40),
            now: t0 + 2)
        XCTAssertTrue(checkpoint)
        let heartbeat = try await store.commit(
            runID: "busy", owner: "worker", step: nil, transition: .keepRunning(leaseUntil: t0 + 40), now: t0 + 2)
        XCTAssertTrue(heartbeat)
        // Handed back: cancelling it again changes nothing, and the next claim carries the request.
        try await store.commit(runID: "busy", owner: "worker", step: nil, transition: .release, now: t0 + 3)
        guard case .requested(let handedBack)? = try await store.cancelRun("busy", now: t0 + 3) else {
            return XCTFail("a run handed back to deliver its cancellation was cancelled at once")
        }
        XCTAssertEqual(handedBack.status, .pending)
        let claimed = try await store.claimRun("busy", owner: "next", leaseUntil: t0 + 60, now: t0 + 4)
        XCTAssertEqual(claimed?.cancelRequestedAt, t0 + 1)
        try await store.commit(runID: "busy", owner: "next", step: nil, transition: .cancel(reason: "cancelled"), now: t0 + 5)
        let ended = try await store.run("busy")
        XCTAssertEqual(ended?.status, .cancelled)
        XCTAssertEqual(ended?.errorMessage, "cancelled")
        XCTAssertEqual(ended?.completedAt, t0 + 5)
        let stepIDs = try await store.steps(of: "busy").map(\.stepID)
        XCTAssertEqual(stepIDs, ["a", "b"])
        let noDeadLetters = try await store.deadLetters(limit: 10).isEmpty
        XCTAssertTrue(noDeadLetters, "a cancelled run has no dead letter")
    }

    func testARunWhoseLeaseExpiredIsCancelledAtOnceAndItsOldWorkerCanWriteNothing() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("abandoned", owner: "dead", leaseUntil: t0 + 30)
        guard case .cancelled? = try await store.cancelRun("abandoned", now: t0 + 31) else { return XCTFail("not cancelled") }
        do {
            try await store.commit(
                runID: "abandoned", owner: "dead", step: stepRecord("late"), transition: .keepRunning(leaseUntil: t0 + 90),
                now: t0 + 32)
            XCTFail("the old worker wrote to a cancelled run")
        } catch is LeaseLostError {}
        let noSteps = try await store.steps(of: "abandoned").isEmpty
        XCTAssertTrue(noSteps)
    }

    func testCancellingAFinishedRunChangesNothingAndSaysSo() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("done")
        try await store.commit(runID: "done", owner: "worker", step: nil, transition: .complete(result: "1"), now: t0 + 1)
        guard case .alreadyFinished(let run)? = try await store.cancelRun("done", now: t0 + 2) else { return XCTFail("changed") }
        XCTAssertEqual(run.status, .completed)
        let completedAt = try await store.run("done")?.completedAt
        XCTAssertEqual(completedAt, t0 + 1)
        guard case .alreadyFinished? = try await store.cancelRun("done", now: t0 + 3) else { return XCTFail("changed") }
        let unknown = try await store.cancelRun("no-such-run", now: t0)
        XCTAssertNil(unknown)
    }

    func testACancelledRunIsCleanedUpAsAFinishedRun() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.createRun(runID: "old", workflowID: "w", input: "{}", now: t0)
        _ = try await store.cancelRun("old", now: t0 + 1)
        let expired = try await store.countExpired(before: t0 + 10).runs
        XCTAssertEqual(expired, 1)
        let report = try await store.deleteFinishedRuns(before: t0 + 10, limit: 10, keepingDeadLetters: false)
        XCTAssertEqual(report.runs, 1)
        let deleted = try await store.run("old")
        XCTAssertNil(deleted)
    }

    func testTwentyConcurrentCancellationsOfARunningRunHaveOneOutcome() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("contended", owner: "worker", leaseUntil: t0 + 30)
        let outcomes = try await withThrowingTaskGroup(of: CancellationOutcome?.self) { group in
            for index in 0..<20 { group.addTask { try await store.cancelRun("contended", now: t0 + Double(index) / 100) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(outcomes.count, 20)
        for outcome in outcomes {
            guard case .requested(let run)? = outcome else { return XCTFail("got \(String(describing: outcome))") }
            XCTAssertEqual(run.status, .running)
        }
        let requestedAt = try await store.run("contended")?.cancelRequestedAt
        XCTAssertEqual(Set(outcomes.map { $0?.run.cancelRequestedAt }), [requestedAt])
    }

    func testRetryingAFailedRunForgetsItsCancellation() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("undo-failed", owner: "worker", leaseUntil: t0 + 30)
        _ = try await store.cancelRun("undo-failed", now: t0 + 1)
        try await store.commit(
            runID: "undo-failed", owner: "worker", step: nil, transition: .fail(stepID: nil, error: "refund failed"), now: t0 + 2)
        let letters = try await store.deadLetters(limit: 1)
        let letter = try XCTUnwrap(letters.first)
        let reopened = try await store.reopenDeadLetter(id: letter.id, now: t0 + 3)
        XCTAssertNil(reopened.cancelRequestedAt)
        let claimed = try await store.claimRun("undo-failed", owner: "next", leaseUntil: t0 + 60, now: t0 + 4)
        XCTAssertNotNil(claimed)
        XCTAssertNil(claimed?.cancelRequestedAt)
    }

    func testCancellingAnIdleRunWhileHandingOverNotesTheRequestAndMakesItClaimable() async throws {
        let store = try await makeConformanceStore()
        try await store.createSleeping("asleep", wakeAt: t0 + 3600)
        let outcome = try await store.cancelRun("asleep", now: t0 + 1, handingOver: true)
        guard case .requested(let run)? = outcome else { return XCTFail("got \(String(describing: outcome))") }
        XCTAssertEqual(run.status, .pending)
        XCTAssertEqual(run.cancelRequestedAt, t0 + 1)
        XCTAssertNil(run.completedAt)
        let again = try await store.cancelRun("asleep", now: t0 + 2, handingOver: true)
        guard case .requested(let still)? = again else { return XCTFail("got \(String(describing: again))") }
        XCTAssertEqual(still.cancelRequestedAt, t0 + 1, "a second request moved the first")
        let claimed = try await store.claimRun("asleep", owner: "w", leaseUntil: t0 + 60, now: t0 + 3)
        XCTAssertEqual(claimed?.cancelRequestedAt, t0 + 1, "the claim does not report the request")
    }
}
