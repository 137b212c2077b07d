import Foundation
import Hookflow
import XCTest

/// Creating and claiming runs, on every store.
final class StoreConformanceClaimTests: XCTestCase {
    func testCreatingARunTwiceReturnsTheFirstRunAndSaysItExisted() async throws {
        let store = try await makeConformanceStore()
        let first = try await store.createRun(runID: "r", workflowID: "w", input: #"{"a":1}"#, traceContext: "ctx", parent: nil, now: t0)
        XCTAssertTrue(first.created)
        let second = try await store.createRun(runID: "r", workflowID: "other", input: #"{"a":2}"#, now: t0 + 1)
        XCTAssertFalse(second.created)
        XCTAssertEqual(second.workflowID, "w")
        XCTAssertEqual(second.input, #"{"a":1}"#)
        XCTAssertEqual(second.status, .pending)
        let run = try await store.run("r")
        XCTAssertEqual(run?.traceContext, "ctx")
        XCTAssertEqual(run?.createdAt, t0)
        let missing = try await store.run("nobody")
        XCTAssertNil(missing)
    }

    func testClaimsTakeDueSleepersThenExpiredLeasesThenPendingRunsOldestFirst() async throws {
        let store = try await makeConformanceStore()
        try await store.createSleeping("sleeper", now: t0, wakeAt: t0 + 5)
        try await store.createRunning("orphan", owner: "dead", now: t0, leaseUntil: t0 + 3)
        _ = try await store.createRun(runID: "older", workflowID: "w", input: "{}", now: t0 + 1)
        _ = try await store.createRun(runID: "newer", workflowID: "w", input: "{}", now: t0 + 2)
        var order: [String] = []
        while let claimed = try await store.claimNextRun(owner: "worker", leaseUntil: t0 + 100, now: t0 + 10) {
            XCTAssertEqual(claimed.status, .running)
            XCTAssertEqual(claimed.leaseUntil, t0 + 100)
            order.append(claimed.runID.rawValue)
        }
        XCTAssertEqual(order, ["sleeper", "orphan", "older", "newer"])
    }

    func testAClaimOfOneRunTakesItOnlyWhenItIsRunnable() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.createRun(runID: "pending", workflowID: "w", input: "{}", now: t0)
        try await store.createRunning("held", now: t0, leaseUntil: t0 + 30)
        try await store.createSleeping("asleep", now: t0, wakeAt: t0 + 60)
        try await store.createRunning("done", now: t0)
        try await store.commit(runID: "done", owner: "worker", step: nil, transition: .complete(result: "1"), now: t0)
        let now = t0 + 10
        for (runID, runnable) in [("pending", true), ("held", false), ("asleep", false), ("done", false), ("nobody", false)] {
            let claimed = try await store.claimRun(WorkflowRunID(runID), owner: "other", leaseUntil: now + 30, now: now)
            XCTAssertEqual(claimed != nil, runnable, "claim of \(runID)")
        }
        let afterLease = try await store.claimRun("held", owner: "other", leaseUntil: t0 + 100, now: t0 + 31)
        XCTAssertEqual(afterLease?.leaseUntil, t0 + 100, "an expired lease was not taken over")
        let woken = try await store.claimRun("asleep", owner: "other", leaseUntil: t0 + 100, now: t0 + 60)
        XCTAssertNotNil(woken, "a run at its wake time was not claimable")
    }

    func testAnInstanceClaimsOnlyRunsOfTheWorkflowsItKnows() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.createRun(runID: "newer", workflowID: "added-in-v2", input: "{}", now: t0)
        _ = try await store.createRun(runID: "older", workflowID: "checkout", input: "{}", now: t0 + 1)
        // An instance of the previous release, during a rolling deploy.
        let old = try await store.claimNextRun(owner: "v1", leaseUntil: t0 + 30, now: t0 + 2, workflows: ["checkout"])
        XCTAssertEqual(old?.runID, "older")
        let nothing = try await store.claimNextRun(owner: "v1", leaseUntil: t0 + 30, now: t0 + 2, workflows: ["checkout"])
        XCTAssertNil(nothing, "an instance claimed a run of a workflow it does not know")
        let new = try await store.claimNextRun(
            owner: "v2", leaseUntil: t0 + 30, now: t0 + 2, workflows: ["checkout", "added-in-v2"])
        XCTAssertEqual(new?.runID, "newer")
    }

    func testAnInstanceClaimsOnlyRunsOfTheVersionsItsCodeReplays() async throws {
        let store = try await makeConformanceStore()
        for (runID, version) in [("v1-run", 1), ("v2-run", 2), ("v3-run", 3)] {
            _ = try await store.createRun(
                runID: WorkflowRunID(runID), workflowID: "checkout", input: "{}", traceContext: nil, parent: nil,
                workflowVersion: version, now: t0 + Double(version))
        }
        let stored = try await store.run("v2-run")
        XCTAssertEqual(stored?.workflowVersion, 2)
        let overdue = try await store.overdueRuns(before: t0 + 10, limit: 10, workflows: ClaimableWorkflows(versions: ["checkout": 2...3]))
        XCTAssertEqual(Set(overdue.map(\.runID)), ["v2-run", "v3-run"])
        // The newer release replays versions 2 and 3; the older one only 1 and 2.
        let newer = ClaimableWorkflows(versions: ["checkout": 2...3])
        let first = try await store.claimNextRun(owner: "new", leaseUntil: t0 + 60, now: t0 + 5, workflows: newer)
        let second = try await store.claimNextRun(owner: "new", leaseUntil: t0 + 60, now: t0 + 5, workflows: newer)
        let none = try await store.claimNextRun(owner: "new", leaseUntil: t0 + 60, now: t0 + 5, workflows: newer)
        XCTAssertEqual([first?.runID, second?.runID], ["v2-run", "v3-run"])
        XCTAssertNil(none, "a run of a version the code does not replay was claimed")
        let older = try await store.claimNextRun(
            owner: "old", leaseUntil: t0 + 60, now: t0 + 5, workflows: ClaimableWorkflows(versions: ["checkout": 1...2]))
        XCTAssertEqual(older?.runID, "v1-run")
    }

    func testAnEarlyClaimTakesASleeperBeforeItsTimeButNeverALiveLease() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("held", now: t0)
        let stolen = try await store.claimRun("held", owner: "early", leaseUntil: t0 + 30, now: t0, wakingBy: t0 + 60)
        XCTAssertNil(stolen, "a delivery allowed to be early took a live lease")

        try await store.createSleeping("napping", now: t0, wakeAt: t0 + 20)
        let onTime = try await store.claimRun("napping", owner: "early", leaseUntil: t0 + 30, now: t0)
        XCTAssertNil(onTime)
        let early = try await store.claimRun("napping", owner: "early", leaseUntil: t0 + 30, now: t0, wakingBy: t0 + 20)
        XCTAssertEqual(early?.status, .running)
    }

    func testClaimsCountUnfinishedInvocationsAndProgressResetsThem() async throws {
        let store = try await makeConformanceStore()
        let first = try await store.createRunning("r", owner: "a", now: t0, leaseUntil: t0 + 10)
        XCTAssertEqual(first.unfinishedInvocations, 1)
        let second = try await store.claimRun("r", owner: "b", leaseUntil: t0 + 40, now: t0 + 11)
        XCTAssertEqual(second?.unfinishedInvocations, 2, "a claim after a lapsed lease was not counted")
        try await store.commit(runID: "r", owner: "b", step: nil, transition: .keepRunning(leaseUntil: t0 + 50), now: t0 + 12)
        let afterHeartbeat = try await store.run("r")
        XCTAssertEqual(afterHeartbeat?.unfinishedInvocations, 2, "a heartbeat counted as progress")
        try await store.commit(
            runID: "r", owner: "b", step: stepRecord("s"), transition: .keepRunning(leaseUntil: t0 + 50), now: t0 + 13)
        let afterCheckpoint = try await store.run("r")
        XCTAssertEqual(afterCheckpoint?.unfinishedInvocations, 1)
        try await store.commit(runID: "r", owner: "b", step: nil, transition: .suspend(wakeAt: t0 + 60), now: t0 + 14)
        let asleep = try await store.run("r")
        XCTAssertEqual(asleep?.unfinishedInvocations, 0)
    }

    func testAnInvocationFailureIsNotedAndHoldsTheRunUntilItsRetry() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", owner: "a", now: t0)
        try await store.recordInvocationFailure(runID: "r", owner: "intruder", error: "not mine", retryAt: t0 + 1)
        try await store.recordInvocationFailure(runID: "r", owner: "a", error: "disk full", retryAt: t0 + 60)
        let noted = try await store.run("r")
        XCTAssertEqual(noted?.lastInvocationError, "disk full")
        XCTAssertEqual(noted?.leaseUntil, t0 + 60)
        let early = try await store.claimNextRun(owner: "b", leaseUntil: t0 + 90, now: t0 + 30)
        XCTAssertNil(early, "the run was claimed before its retry")
        let retried = try await store.claimNextRun(owner: "b", leaseUntil: t0 + 90, now: t0 + 61)
        XCTAssertEqual(retried?.runID, "r")
        XCTAssertEqual(retried?.unfinishedInvocations, 2)
    }

    func testConcurrentClaimsOfOneRunHaveExactlyOneWinner() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.createRun(runID: "contested", workflowID: "w", input: "{}", now: t0)
        let winners = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let claimed =
                        index.isMultiple(of: 2)
                        ? try await store.claimNextRun(owner: "w\(index)", leaseUntil: t0 + 30, now: t0)
                        : try await store.claimRun("contested", owner: "w\(index)", leaseUntil: t0 + 30, now: t0)
                    return claimed.map { _ in "w\(index)" }
                }
            }
            return try await group.reduce(into: [String]()) { if let winner = $1 { $0.append(winner) } }
        }
        XCTAssertEqual(winners.count, 1, "claimed by \(winners)")
        let run = try await store.run("contested")
        XCTAssertEqual(run?.unfinishedInvocations, 1)
    }
}

/// Runs created to start later, on every store.
final class StoreConformanceDelayedStartTests: XCTestCase {
    func testARunCreatedToStartLaterSleepsUntilThenAndIsClaimableOnlyThen() async throws {
        let store = try await makeConformanceStore()
        let created = try await store.createRun(
            runID: "later", workflowID: "w", input: "{}", traceContext: nil, parent: nil, workflowVersion: 1, startAt: t0 + 60,
            now: t0)
        XCTAssertEqual(created.status, .sleeping)
        let run = try await store.run("later")
        XCTAssertEqual(run?.wakeAt, t0 + 60)
        let early = try await store.claimNextRun(owner: "w", leaseUntil: t0 + 90, now: t0 + 59)
        XCTAssertNil(early, "a delayed run was claimed before its start")
        let due = try await store.claimNextRun(owner: "w", leaseUntil: t0 + 90, now: t0 + 60)
        XCTAssertEqual(due?.runID, "later")
        let past = try await store.createRun(
            runID: "past", workflowID: "w", input: "{}", traceContext: nil, parent: nil, workflowVersion: 1, startAt: t0 - 5,
            now: t0)
        XCTAssertEqual(past.status, .pending, "a start in the past did not start at once")
    }
}
