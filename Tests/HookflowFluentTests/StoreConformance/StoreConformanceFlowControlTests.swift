import Foundation
import Hookflow
import XCTest

/// Concurrency admission and priorities, on every store.
final class StoreConformanceFlowControlTests: XCTestCase {
    @discardableResult
    private func create(
        _ store: any WorkflowStore, _ runID: WorkflowRunID, workflowID: String = "w", flow: RunFlow, startAt: Date? = nil,
        now: Date = t0
    ) async throws -> RunStatus {
        try await store.createRun(
            runID: runID, workflowID: workflowID, input: "{}", traceContext: nil, parent: nil, workflowVersion: 1,
            startAt: startAt, scheduledBy: nil, flow: flow, now: now
        ).status
    }

    private func statuses(_ store: any WorkflowStore, _ ids: [WorkflowRunID]) async throws -> [RunStatus?] {
        var statuses: [RunStatus?] = []
        for id in ids { statuses.append(try await store.run(id)?.status) }
        return statuses
    }

    func testARunIsQueuedWhileItsKeyIsFullAndTheNextInLineIsAdmittedWhenAHolderEnds() async throws {
        let store = try await makeConformanceStore()
        let key = RunFlow(concurrencyKey: "customer-42", keyLimit: 1)
        let first = try await create(store, "a", flow: key, now: t0)
        let second = try await create(store, "b", flow: key, now: t0 + 1)
        try await create(store, "c", flow: key, now: t0 + 2)
        try await create(store, "other", flow: RunFlow(concurrencyKey: "customer-7"), now: t0 + 3)
        XCTAssertEqual(first, .pending)
        XCTAssertEqual(second, .queued)
        let queued = try await statuses(store, ["a", "b", "c", "other"])
        XCTAssertEqual(queued, [.pending, .queued, .queued, .pending], "another key waited for customer-42's slot")
        let run = try await store.run("b")
        XCTAssertEqual(run?.flow, key)

        let claimed = try await store.claimNextRun(owner: "worker", leaseUntil: t0 + 60, now: t0 + 10)
        XCTAssertEqual(claimed?.runID, "a", "a queued run was claimed")
        try await store.commit(runID: "a", owner: "worker", step: nil, transition: .suspend(wakeAt: t0 + 100), now: t0 + 11)
        let whileAsleep = try await statuses(store, ["b", "c"])
        XCTAssertEqual(whileAsleep, [.queued, .queued], "a sleeping run gave up its slot")
        _ = try await store.claimRun("a", owner: "worker", leaseUntil: t0 + 160, now: t0 + 100)
        try await store.commit(runID: "a", owner: "worker", step: nil, transition: .complete(result: "1"), now: t0 + 101)
        let afterEnd = try await statuses(store, ["b", "c"])
        XCTAssertEqual(afterEnd, [.pending, .queued], "the end of the holder did not admit the next in line, and only it")

        let outcome = try await store.cancelRun("c", now: t0 + 102, handingOver: true)
        guard case .cancelled = outcome else { return XCTFail("a queued run was not cancelled at once: \(String(describing: outcome))") }
        let cancelHolder = try await store.cancelRun("b", now: t0 + 103)
        guard case .cancelled = cancelHolder else { return XCTFail("a pending run was not cancelled") }
        try await create(store, "d", flow: key, now: t0 + 104)
        let freed = try await statuses(store, ["d"])
        XCTAssertEqual(freed, [.pending], "cancelled runs still held the key's slot")
    }

    func testAWorkflowLimitCountsEveryAdmittedUnfinishedRunOfTheWorkflow() async throws {
        let store = try await makeConformanceStore()
        let limit = RunFlow(workflowLimit: 2)
        for (index, id) in ["a", "b", "c", "d"].enumerated() {
            try await create(store, WorkflowRunID(id), workflowID: "report", flow: limit, now: t0 + Double(index))
        }
        try await create(store, "elsewhere", workflowID: "other", flow: limit, now: t0 + 5)
        let created = try await statuses(store, ["a", "b", "c", "d", "elsewhere"])
        XCTAssertEqual(created, [.pending, .pending, .queued, .queued, .pending])

        _ = try await store.claimRun("a", owner: "worker", leaseUntil: t0 + 60, now: t0 + 10)
        try await store.commit(runID: "a", owner: "worker", step: nil, transition: .fail(stepID: nil, error: "boom"), now: t0 + 11)
        let afterFailure = try await statuses(store, ["c", "d"])
        XCTAssertEqual(afterFailure, [.pending, .queued], "a failed run kept its slot, or freed two")
    }

    func testAQueuedRunWithADelayedStartIsAdmittedAsleepUntilThen() async throws {
        let store = try await makeConformanceStore()
        let key = RunFlow(concurrencyKey: "k")
        try await create(store, "holder", flow: key, now: t0)
        try await create(store, "later", flow: key, startAt: t0 + 3600, now: t0 + 1)
        let queued = try await store.run("later")
        XCTAssertEqual(queued?.status, .queued)
        _ = try await store.cancelRun("holder", now: t0 + 2)
        let admitted = try await store.run("later")
        XCTAssertEqual(admitted?.status, .sleeping)
        XCTAssertEqual(admitted?.wakeAt, t0 + 3600)
    }

    func testHigherPriorityIsClaimedAndAdmittedFirstAndWaitingAgesALowerOne() async throws {
        let store = try await makeConformanceStore()
        try await create(store, "low", flow: RunFlow(priority: 0), now: t0)
        try await create(store, "high", flow: RunFlow(priority: 3), now: t0 + 60)
        try await create(store, "old-low", flow: RunFlow(priority: 0), now: t0 - 600)
        var order: [WorkflowRunID] = []
        while let run = try await store.claimNextRun(owner: "worker", leaseUntil: t0 + 600, now: t0 + 100) { order.append(run.runID) }
        // old-low waited 10 minutes: more than high's 3 points (3 minutes) of priority are worth.
        XCTAssertEqual(order, ["old-low", "high", "low"])

        let key = RunFlow(concurrencyKey: "k")
        try await create(store, "holder", flow: key, now: t0)
        try await create(store, "q-low", flow: RunFlow(concurrencyKey: "k", priority: -1), now: t0 + 1)
        try await create(store, "q-high", flow: RunFlow(concurrencyKey: "k", priority: 2), now: t0 + 2)
        _ = try await store.cancelRun("holder", now: t0 + 3)
        let admitted = try await statuses(store, ["q-low", "q-high"])
        XCTAssertEqual(admitted, [.queued, .pending], "admission did not follow priority")
    }
}

/// Rate limits, on every store.
final class StoreConformanceRateLimitTests: XCTestCase {
    private let twoPerTenSeconds = RateScope(name: "workflow:w", limit: RateLimit(runs: 2, per: .seconds(10)))

    private func create(_ store: any WorkflowStore, _ runID: WorkflowRunID, rates: [RateScope], now: Date = t0) async throws -> RunRecord? {
        _ = try await store.createRun(
            runID: runID, workflowID: "w", input: "{}", traceContext: nil, parent: nil, workflowVersion: 1, startAt: nil,
            scheduledBy: nil, flow: RunFlow(rates: rates), now: now)
        return try await store.run(runID)
    }

    func testRunStartsOfAScopeAreSpacedSoNoPeriodHoldsMoreThanItsLimit() async throws {
        let store = try await makeConformanceStore()
        let first = try await create(store, "a", rates: [twoPerTenSeconds])
        let second = try await create(store, "b", rates: [twoPerTenSeconds])
        let third = try await create(store, "c", rates: [twoPerTenSeconds])
        XCTAssertEqual(first?.status, .pending)
        XCTAssertEqual(second?.status, .sleeping)
        XCTAssertEqual(second?.wakeAt, t0 + 5)
        XCTAssertEqual(third?.wakeAt, t0 + 10)
        let again = try await create(store, "a", rates: [twoPerTenSeconds])
        XCTAssertEqual(again?.status, .pending, "an idempotent trigger took a slot")
        let fourth = try await create(store, "d", rates: [twoPerTenSeconds])
        XCTAssertEqual(fourth?.wakeAt, t0 + 15, "an idempotent trigger took a slot")

        let later = try await create(store, "e", rates: [twoPerTenSeconds], now: t0 + 100)
        XCTAssertEqual(later?.status, .pending, "a quiet scope still held back a start")
        let otherScope = try await create(store, "f", rates: [RateScope(name: "key:w:k", limit: RateLimit(runs: 1, per: .seconds(60)))])
        XCTAssertEqual(otherScope?.status, .pending, "another scope's slots held back a start")
    }

    func testConcurrentTriggersEachTakeTheirOwnStart() async throws {
        let store = try await makeConformanceStore()
        let scope = RateScope(name: "workflow:w", limit: RateLimit(runs: 10, per: .seconds(10)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    _ = try await store.createRun(
                        runID: WorkflowRunID("r\(index)"), workflowID: "w", input: "{}", traceContext: nil, parent: nil,
                        workflowVersion: 1, startAt: nil, scheduledBy: nil, flow: RunFlow(rates: [scope]), now: t0)
                }
            }
            try await group.waitForAll()
        }
        var starts: [Date] = []
        for index in 0..<20 { starts.append(try await store.run(WorkflowRunID("r\(index)"))?.wakeAt ?? t0) }
        XCTAssertEqual(Set(starts).count, 20, "two triggers took the same start")
        XCTAssertEqual(starts.max(), t0 + 19, "a start was skipped or spaced wrong")
    }
}
