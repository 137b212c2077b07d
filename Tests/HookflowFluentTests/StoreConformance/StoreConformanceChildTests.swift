import Foundation
import Hookflow
import XCTest

/// Child runs' links and the event that wakes their parent, on every store.
final class StoreConformanceChildTests: XCTestCase {
    /// A parent asleep waiting for `child`'s event, and `child` created and leased.
    private func family(_ store: any WorkflowStore, child: WorkflowRunID, cancelsWithParent: Bool = true) async throws {
        try await store.createRunning("parent", owner: "p", now: t0)
        try await store.commit(
            runID: "parent", owner: "p", step: waitingStep("invoke", key: ChildRuns.eventKey(of: child), timeout: t0 + 86_400),
            transition: .suspend(wakeAt: t0 + 86_400), now: t0)
        let created = try await store.createRun(
            runID: child, workflowID: "c", input: "{}", traceContext: nil,
            parent: RunParent(runID: "parent", cancelsWithParent: cancelsWithParent), now: t0 + 1)
        XCTAssertTrue(created.created)
    }

    func testAChildKeepsItsParentAndIsListedUnderIt() async throws {
        let store = try await makeConformanceStore()
        try await family(store, child: "parent:a")
        _ = try await store.createRun(
            runID: "parent:b", workflowID: "c", input: "{}", traceContext: nil,
            parent: RunParent(runID: "parent", cancelsWithParent: false), now: t0 + 2)
        _ = try await store.createRun(runID: "stranger", workflowID: "c", input: "{}", now: t0 + 3)
        let child = try await store.run("parent:a")
        XCTAssertEqual(child?.parent, RunParent(runID: "parent", cancelsWithParent: true))
        let abandoned = try await store.run("parent:b")
        XCTAssertEqual(abandoned?.parent, RunParent(runID: "parent", cancelsWithParent: false))
        let parent = try await store.run("parent")
        XCTAssertNil(parent?.parent)
        let children = try await store.listRuns(RunFilter(parentRunID: "parent"), after: nil, limit: 10)
        XCTAssertEqual(children.runs.map(\.runID), ["parent:b", "parent:a"], "newest first, strangers left out")
        let pending = try await store.listRuns(RunFilter(statuses: [.pending], parentRunID: "parent"), after: nil, limit: 1)
        XCTAssertEqual(pending.runs.map(\.runID), ["parent:b"])
        let rest = try await store.listRuns(RunFilter(statuses: [.pending], parentRunID: "parent"), after: pending.next, limit: 1)
        XCTAssertEqual(rest.runs.map(\.runID), ["parent:a"])
    }

    func testAChildThatEndsWakesItsWaitingParentInTheSameCommit() async throws {
        for (index, transition) in [RunTransition.complete(result: "7"), .fail(stepID: nil, error: "boom"), .cancel(reason: "stop")]
            .enumerated()
        {
            let store = try await makeConformanceStore()
            let child = WorkflowRunID("parent:child-\(index)")
            try await family(store, child: child)
            _ = try await store.claimRun(child, owner: "c", leaseUntil: t0 + 60, now: t0 + 2)
            try await store.commit(runID: child, owner: "c", step: nil, transition: transition, now: t0 + 5)
            let parent = try await store.run("parent")
            XCTAssertEqual(parent?.status, .sleeping)
            XCTAssertEqual(parent?.wakeAt, t0 + 5, "the parent was not made due when its child ended (\(transition))")
            let payload = try await store.event(key: ChildRuns.eventKey(of: child), now: t0 + 6)
            XCTAssertEqual(payload, ChildRuns.eventPayload(transition.endStatus!))
        }
    }

    func testAChildCancelledWhileIdleWakesItsParent() async throws {
        let store = try await makeConformanceStore()
        try await family(store, child: "parent:c")
        let outcome = try await store.cancelRun("parent:c", now: t0 + 9)
        guard case .cancelled? = outcome else { return XCTFail("got \(String(describing: outcome))") }
        let parent = try await store.run("parent")
        XCTAssertEqual(parent?.wakeAt, t0 + 9)
    }

    func testARunWithoutAParentDeliversNoEventWhenItEnds() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("alone", owner: "a", now: t0)
        try await store.commit(runID: "alone", owner: "a", step: nil, transition: .complete(result: "1"), now: t0 + 1)
        let payload = try await store.event(key: ChildRuns.eventKey(of: "alone"), now: t0 + 2)
        XCTAssertNil(payload)
    }

    func testAParentSuspendingAfterItsChildEndedIsDueAtOnce() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("parent", owner: "p", now: t0)
        _ = try await store.createRun(
            runID: "parent:x", workflowID: "c", input: "{}", traceContext: nil,
            parent: RunParent(runID: "parent", cancelsWithParent: true), now: t0)
        _ = try await store.claimRun("parent:x", owner: "c", leaseUntil: t0 + 60, now: t0 + 1)
        try await store.commit(runID: "parent:x", owner: "c", step: nil, transition: .complete(result: "1"), now: t0 + 2)
        try await store.commit(
            runID: "parent", owner: "p", step: waitingStep("invoke", key: ChildRuns.eventKey(of: "parent:x"), timeout: t0 + 86_400),
            transition: .suspend(wakeAt: t0 + 86_400), now: t0 + 3)
        let parent = try await store.run("parent")
        XCTAssertEqual(parent?.wakeAt, t0 + 3, "the parent sleeps past its child's end")
    }
}

/// A run created in the same transaction as another's last commit, on every store.
final class StoreConformanceSpawnTests: XCTestCase {
    private func successor(of runID: WorkflowRunID) -> RunSpawn {
        RunSpawn(
            runID: "next", workflowID: "w", input: #"{"n":2}"#, traceContext: "trace",
            parent: RunParent(runID: "p", cancelsWithParent: true), continuedFrom: runID)
    }

    func testACompletionCreatesItsSuccessorInTheSameCommit() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("first", owner: "a", now: t0)
        try await store.commit(
            runID: "first", owner: "a", step: nil, transition: .complete(result: "{}"), spawning: successor(of: "first"), now: t0 + 1)
        let stored = try await store.run("next")
        let next = try XCTUnwrap(stored)
        XCTAssertEqual(next.status, .pending)
        XCTAssertEqual(next.input, #"{"n":2}"#)
        XCTAssertEqual(next.continuedFrom, "first")
        XCTAssertEqual(next.parent, RunParent(runID: "p", cancelsWithParent: true))
        XCTAssertEqual(next.traceContext, "trace")
        XCTAssertEqual(next.createdAt, t0 + 1)
        let claimed = try await store.claimNextRun(owner: "b", leaseUntil: t0 + 60, now: t0 + 2)
        XCTAssertEqual(claimed?.runID, "next")
    }

    func testACommitWithoutTheLeaseCreatesNoSuccessor() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("first", owner: "a", now: t0)
        do {
            try await store.commit(
                runID: "first", owner: "intruder", step: nil, transition: .complete(result: "{}"),
                spawning: successor(of: "first"), now: t0 + 1)
            XCTFail("a commit without the lease succeeded")
        } catch is LeaseLostError {}
        let next = try await store.run("next")
        XCTAssertNil(next, "a successor was created by a commit that lost its lease")
    }
}
