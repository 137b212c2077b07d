import Foundation
import Hookflow
import HookflowFluent
import Logging
import Synchronization
import XCTest

/// A real store whose commits first pass through `intercept`, which may throw or wait:
/// a database that refuses a value, loses a lease, or stops answering.
final class InterceptingStore: WorkflowStore {
    let base: any WorkflowStore
    let intercept: @Sendable (_ runID: WorkflowRunID, _ step: StepRecord?, _ transition: RunTransition) async throws -> Void
    /// How many times each run's whole history was read.
    let historyReads = Mutex<[WorkflowRunID: Int]>([:])

    init(
        _ base: any WorkflowStore,
        intercept: @escaping @Sendable (_ runID: WorkflowRunID, _ step: StepRecord?, _ transition: RunTransition) async throws -> Void
    ) {
        self.base = base
        self.intercept = intercept
    }

    func commit(
        runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, spawning: RunSpawn?, now: Date
    ) async throws -> Bool {
        try await intercept(runID, step, transition)
        return try await base.commit(runID: runID, owner: owner, step: step, transition: transition, spawning: spawning, now: now)
    }

    func cancelRun(_ runID: WorkflowRunID, now: Date, handingOver: Bool) async throws -> CancellationOutcome? {
        try await base.cancelRun(runID, now: now, handingOver: handingOver)
    }

    func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        workflowVersion: Int, startAt: Date?, scheduledBy: ScheduleTick?, flow: RunFlow, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool) {
        try await base.createRun(
            runID: runID, workflowID: workflowID, input: input, traceContext: traceContext, parent: parent,
            workflowVersion: workflowVersion, startAt: startAt, scheduledBy: scheduledBy, flow: flow, now: now)
    }
    func claimNextRun(owner: String, leaseUntil: Date, now: Date, workflows: ClaimableWorkflows?) async throws -> RunRecord? {
        try await base.claimNextRun(owner: owner, leaseUntil: leaseUntil, now: now, workflows: workflows)
    }
    func claimRun(
        _ runID: WorkflowRunID, owner: String, leaseUntil: Date, now: Date, wakingBy: Date
    ) async throws -> RunRecord? {
        try await base.claimRun(runID, owner: owner, leaseUntil: leaseUntil, now: now, wakingBy: wakingBy)
    }
    func steps(of runID: WorkflowRunID) async throws -> [StepRecord] {
        historyReads.withLock { $0[runID, default: 0] += 1 }
        return try await base.steps(of: runID)
    }
    func steps(of runID: WorkflowRunID, afterSequence: Int?, limit: Int) async throws -> [StepRecord] {
        try await base.steps(of: runID, afterSequence: afterSequence, limit: limit)
    }
    func recordInvocationFailure(runID: WorkflowRunID, owner: String, error: String, retryAt: Date) async throws {
        try await base.recordInvocationFailure(runID: runID, owner: owner, error: error, retryAt: retryAt)
    }
    func deliverEvent(key: String, payload: String, now: Date) async throws -> [RunRecord] {
        try await base.deliverEvent(key: key, payload: payload, now: now)
    }
    func event(key: String, now: Date) async throws -> String? { try await base.event(key: key, now: now) }
    func nextWakeTime(after date: Date) async throws -> Date? { try await base.nextWakeTime(after: date) }
    func overdueRuns(before: Date, limit: Int, workflows: ClaimableWorkflows?) async throws -> [RunRecord] {
        try await base.overdueRuns(before: before, limit: limit, workflows: workflows)
    }
    func run(_ runID: WorkflowRunID) async throws -> RunRecord? { try await base.run(runID) }
    func listRuns(_ filter: RunFilter, after cursor: ListCursor?, limit: Int) async throws -> RunPage {
        try await base.listRuns(filter, after: cursor, limit: limit)
    }
    func countRunsByStatus() async throws -> [String: [RunStatus: Int]] { try await base.countRunsByStatus() }
    func countStepRetries(since: Date) async throws -> Int { try await base.countStepRetries(since: since) }
    func listDeadLetters(_ filter: DeadLetterFilter, after cursor: ListCursor?, limit: Int) async throws -> DeadLetterPage {
        try await base.listDeadLetters(filter, after: cursor, limit: limit)
    }
    func deadLetter(id: String) async throws -> DeadLetterRecord? { try await base.deadLetter(id: id) }
    func deleteDeadLetter(id: String) async throws -> Bool { try await base.deleteDeadLetter(id: id) }
    func forkRun(_ runID: WorkflowRunID, as newRunID: WorkflowRunID, fromStep stepID: String, now: Date) async throws -> RunRecord {
        try await base.forkRun(runID, as: newRunID, fromStep: stepID, now: now)
    }
    func deleteFinishedRuns(before: Date, limit: Int, keepingDeadLetters: Bool) async throws -> CleanupReport {
        try await base.deleteFinishedRuns(before: before, limit: limit, keepingDeadLetters: keepingDeadLetters)
    }
    func deleteDeadLetters(before: Date, limit: Int) async throws -> Int {
        try await base.deleteDeadLetters(before: before, limit: limit)
    }
    func countExpired(before: Date) async throws -> (runs: Int, deadLetters: Int) { try await base.countExpired(before: before) }
    func reopenDeadLetter(id: String, now: Date) async throws -> RunRecord {
        try await base.reopenDeadLetter(id: id, now: now)
    }
    func run() async throws { try await base.run() }
    func runCounts(now: Date) async throws -> RunCounts? { try await base.runCounts(now: now) }
    func close() async throws { try await base.close() }
}

extension XCTestCase {
    /// An engine with the local transport's workers on `store`, stopped (and the store closed)
    /// when the test ends, however it ends.
    func startEngine(
        on store: InterceptingStore, workers: Int, leaseDuration: Duration, _ register: (inout WorkflowRegistry) -> Void
    ) -> WorkflowEngine {
        var registry = WorkflowRegistry()
        register(&registry)
        let transport = LocalTransport(workers: workers, safetyInterval: .seconds(3600))
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .critical
        let engine = WorkflowEngine(
            store: store, registry: registry, transport: transport,
            configuration: .init(leaseDuration: leaseDuration, logger: logger))
        let task = Task { await HookflowService(engine: engine).run() }
        addTeardownBlock {
            engine.beginShutdown()
            await task.value
            try await store.base.close()
        }
        return engine
    }
}

/// Schedules pass straight through.
extension InterceptingStore {
    func saveSchedule(_ schedule: Schedule, nextFireAt: Date, now: Date) async throws -> ScheduleRecord {
        try await base.saveSchedule(schedule, nextFireAt: nextFireAt, now: now)
    }
    func schedules() async throws -> [ScheduleRecord] { try await base.schedules() }
    func schedule(named name: String) async throws -> ScheduleRecord? { try await base.schedule(named: name) }
    func setSchedulePaused(_ name: String, paused: Bool, nextFireAt: Date, now: Date) async throws -> ScheduleRecord? {
        try await base.setSchedulePaused(name, paused: paused, nextFireAt: nextFireAt, now: now)
    }
    func deleteSchedule(named name: String) async throws -> Bool { try await base.deleteSchedule(named: name) }
    func leaseDueSchedule(owner: String, leaseUntil: Date, now: Date) async throws -> ScheduleRecord? {
        try await base.leaseDueSchedule(owner: owner, leaseUntil: leaseUntil, now: now)
    }
    func advanceSchedule(
        _ name: String, owner: String, nextFireAt: Date, lastRunID: WorkflowRunID?, now: Date
    ) async throws -> Bool {
        try await base.advanceSchedule(name, owner: owner, nextFireAt: nextFireAt, lastRunID: lastRunID, now: now)
    }
    func nextScheduleFireTime() async throws -> Date? { try await base.nextScheduleFireTime() }
}

extension InterceptingStore {
    func debounceRun(_ trigger: DebouncedTrigger, now: Date) async throws -> DebounceOutcome {
        try await base.debounceRun(trigger, now: now)
    }
}
