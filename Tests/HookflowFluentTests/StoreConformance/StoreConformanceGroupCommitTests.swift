import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// Checkpoints of many runs at once, which the SQLite and PostgreSQL stores commit in groups.
final class StoreConformanceGroupCommitTests: XCTestCase {
    func testConcurrentCheckpointsAreEachWrittenAndALostLeaseFailsOnlyItsOwn() async throws {
        let store = try await makeConformanceStore()
        let runs = (0..<24).map { WorkflowRunID("run-\($0)") }
        for runID in runs { try await store.createRunning(runID, leaseUntil: t0 + 3600) }
        let intruded = runs[5]
        let rounds = 15
        for round in 0..<rounds {
            let outcomes = await withTaskGroup(of: (WorkflowRunID, (any Error)?).self) { group in
                for runID in runs {
                    group.addTask {
                        do {
                            try await store.commit(
                                runID: runID, owner: runID == intruded ? "intruder" : "worker",
                                step: stepRecord("s\(round)", result: "\"\(runID)-\(round)\"", sequence: round),
                                // Every other round leaves the lease as it is: the run's row is only read.
                                transition: .keepRunning(leaseUntil: round.isMultiple(of: 2) ? t0 + 3600 : nil),
                                now: t0 + Double(round))
                            return (runID, nil)
                        } catch {
                            return (runID, error)
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for runID in runs where runID != intruded {
                XCTAssertNil(outcomes[runID] ?? nil, "round \(round): \(runID)'s checkpoint failed beside a lost lease")
            }
            XCTAssertTrue(outcomes[intruded]! is LeaseLostError, "round \(round): the intruder's write was not fenced")
        }
        for runID in runs where runID != intruded {
            let steps = try await store.steps(of: runID)
            XCTAssertEqual(steps.map(\.stepID), (0..<rounds).map { "s\($0)" }, "\(runID) lost or mixed up steps")
            XCTAssertEqual(steps.map(\.result), (0..<rounds).map { "\"\(runID)-\($0)\"" }, "\(runID) got another run's results")
        }
        let intruderSteps = try await store.steps(of: intruded)
        XCTAssertEqual(intruderSteps.count, 0, "a fenced-off checkpoint left its step behind")
        if let largest = Self.largestBatch(of: store) {
            XCTAssertGreaterThan(largest, 1, "\(rounds) rounds of \(runs.count) concurrent checkpoints were never committed together")
        }
    }

    func testEveryClaimAndReopeningMovesTheRunsHistoryVersionOnAndNoStepWriteDoes() async throws {
        let store = try await makeConformanceStore()
        func version() async throws -> Int? { try await store.run("r")?.historyVersion }
        try await store.createRunning("r")
        var seen = try await version()
        XCTAssertEqual(seen, 1, "the first claim counts")
        try await store.commit(runID: "r", owner: "worker", step: stepRecord("a"), transition: .keepRunning(leaseUntil: t0 + 60), now: t0)
        try await store.commit(runID: "r", owner: "worker", step: stepRecord("b", sequence: 1), transition: .keepRunning(leaseUntil: nil), now: t0)
        try await store.commit(runID: "r", owner: "worker", step: nil, transition: .keepRunning(leaseUntil: t0 + 90), now: t0 + 1)
        try await store.commit(
            runID: "r", owner: "worker", step: stepRecord("nap", kind: .sleep, status: .sleeping, result: nil, sequence: 2, wakeAt: t0 + 5),
            transition: .suspend(wakeAt: t0 + 5), now: t0 + 2)
        seen = try await version()
        XCTAssertEqual(seen, 1, "a checkpoint, a heartbeat or a suspension moved the version on")
        _ = try await store.claimRun("r", owner: "worker", leaseUntil: t0 + 60, now: t0 + 5)
        seen = try await version()
        XCTAssertEqual(seen, 2, "a claim did not count")
        try await store.commit(
            runID: "r", owner: "worker", step: stepRecord("c", status: .failed, result: nil, sequence: 3),
            transition: .fail(stepID: "c", error: "boom"), now: t0 + 6)
        let letters = try await store.deadLetters(limit: 10)
        let letter = try XCTUnwrap(letters.first)
        _ = try await store.reopenDeadLetter(id: letter.id, now: t0 + 7)
        seen = try await version()
        XCTAssertEqual(seen, 3, "the reopening of a dead letter did not count (or the failing step did)")
    }

    func testACheckpointThatLeavesTheLeaseWritesOnlyItsStepAndIsStillFenced() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", owner: "first", now: t0, leaseUntil: t0 + 30)
        // The first invocation died: the run is taken over, its second unfinished invocation.
        let claimed = try await store.claimRun("r", owner: "second", leaseUntil: t0 + 100, now: t0 + 40)
        XCTAssertEqual(claimed?.unfinishedInvocations, 2)
        let stored = try await store.run("r")
        let before = try XCTUnwrap(stored)
        let cancelRequested = try await store.commit(
            runID: "r", owner: "second", step: stepRecord("a"), transition: .keepRunning(leaseUntil: nil), now: t0 + 45)
        XCTAssertFalse(cancelRequested)
        let written = try await store.run("r")
        let after = try XCTUnwrap(written)
        XCTAssertEqual(after.leaseUntil, before.leaseUntil, "the lease moved")
        XCTAssertEqual(after.updatedAt, before.updatedAt, "the run's row was written beyond its count of invocations")
        XCTAssertEqual(after.unfinishedInvocations, 1, "progress did not reset the count of unfinished invocations")
        let steps = try await store.steps(of: "r")
        XCTAssertEqual(steps.map(\.stepID), ["a"])
        do {
            try await store.commit(
                runID: "r", owner: "first", step: stepRecord("stale", sequence: 1), transition: .keepRunning(leaseUntil: nil), now: t0 + 46)
            XCTFail("the lease's former holder checkpointed")
        } catch is LeaseLostError {}
        let kept = try await store.steps(of: "r")
        XCTAssertEqual(kept.map(\.stepID), ["a"], "a fenced-off checkpoint left its step behind")
    }

    /// The most writes one transaction carried, on the stores that commit in groups.
    private static func largestBatch(of store: any WorkflowStore) -> Int? {
        if let store = store as? SQLiteWorkflowStore { return store.groupCommitStatistics.largestBatch }
        if let store = store as? PostgresWorkflowStore { return store.groupCommitStatistics.largestBatch }
        return nil
    }
}
