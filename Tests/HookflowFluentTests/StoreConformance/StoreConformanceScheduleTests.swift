import Foundation
import Hookflow
import XCTest

/// What the timers, the sweeper and the gauges read, on every store.
final class StoreConformanceScheduleTests: XCTestCase {
    func testTheNextWakeTimeIsTheEarliestWakeOrLeaseEndAfterTheGivenTime() async throws {
        let store = try await makeConformanceStore()
        try await store.createSleeping("late", now: t0, wakeAt: t0 + 60)
        try await store.createSleeping("soon", now: t0, wakeAt: t0 + 20)
        try await store.createSleeping("due", now: t0, wakeAt: t0 - 1)
        let next = try await store.nextWakeTime(after: t0)
        XCTAssertEqual(next, t0 + 20)
        try await store.createRunning("held", now: t0, leaseUntil: t0 + 10)
        let lease = try await store.nextWakeTime(after: t0)
        XCTAssertEqual(lease, t0 + 10, "a lease's end is a wake time too")
        let none = try await store.nextWakeTime(after: t0 + 60)
        XCTAssertNil(none)
    }

    func testOverdueRunsAreThoseThatShouldHaveMovedByThen() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.createRun(runID: "pending", workflowID: "a", input: "{}", now: t0)
        try await store.createSleeping("asleep", workflowID: "b", now: t0 + 1, wakeAt: t0 + 5)
        try await store.createRunning("orphan", workflowID: "a", now: t0 + 2, leaseUntil: t0 + 8)
        try await store.createRunning("done", now: t0 + 3)
        try await store.commit(runID: "done", owner: "worker", step: nil, transition: .complete(result: "1"), now: t0 + 3)

        let all = try await store.overdueRuns(before: t0 + 10, limit: 10, workflows: nil)
        XCTAssertEqual(Set(all.map(\.runID)), ["pending", "asleep", "orphan"])
        let some = try await store.overdueRuns(before: t0 + 10, limit: 2, workflows: nil)
        XCTAssertEqual(some.count, 2)
        let ofA = try await store.overdueRuns(before: t0 + 10, limit: 10, workflows: ["a"])
        XCTAssertEqual(Set(ofA.map(\.runID)), ["pending", "orphan"])
        let earlier = try await store.overdueRuns(before: t0 + 6, limit: 10, workflows: nil)
        XCTAssertEqual(Set(earlier.map(\.runID)), ["pending", "asleep"], "a live lease counted as overdue")
    }

    func testRunCountsSplitRunnableFromSleeping() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.createRun(runID: "pending", workflowID: "w", input: "{}", now: t0)
        try await store.createSleeping("due", now: t0, wakeAt: t0 + 5)
        try await store.createSleeping("later", now: t0, wakeAt: t0 + 60)
        try await store.createRunning("busy", now: t0)
        let counts = try await store.runCounts(now: t0 + 10)
        XCTAssertEqual(counts, RunCounts(runnable: 2, sleeping: 1))
    }
}
