import Foundation
import Synchronization

/// A store that keeps everything in this process's memory: for unit tests and trials, where a
/// run need not outlive the process. It behaves as the SQLite and PostgreSQL stores do (the
/// same conformance suite runs against all three), but what it holds is gone when it is.
///
/// ```swift
/// let engine = WorkflowEngine(store: InMemoryWorkflowStore(), registry: registry, transport: LocalTransport(workers: 2))
/// ```
public final class InMemoryWorkflowStore: WorkflowStore {
    let state = Mutex(InMemoryState())

    /// An empty store.
    public init() {}

    public func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        workflowVersion: Int, startAt: Date?, scheduledBy: ScheduleTick?, flow: RunFlow, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool) {
        state.withLock { state in
            if let existing = state.runs[runID] {
                return (existing.record.workflowID, existing.record.status, existing.record.input, false)
            }
            var startAt = startAt
            for scope in flow.rates {
                let slot = max(state.rateSlots[scope.name] ?? now, now)
                state.rateSlots[scope.name] = slot.addingTimeInterval(scope.limit.spacing)
                if slot > (startAt ?? now) { startAt = slot }
            }
            let delayed = startAt.map { $0 > now } ?? false
            var run = RunRecord(
                runID: runID, workflowID: workflowID, status: delayed ? .sleeping : .pending, input: input,
                wakeAt: delayed ? startAt : nil, createdAt: now, traceContext: traceContext, parent: parent,
                workflowVersion: workflowVersion, scheduledBy: scheduledBy, flow: flow)
            // A run with a free slot is admitted as it is created; the others queue.
            if flow.isLimited, !state.hasSlot(for: run) { run.status = .queued }
            state.insert(run, now: now)
            return (workflowID, run.status, input, true)
        }
    }

    public func claimNextRun(owner: String, leaseUntil: Date, now: Date, workflows: ClaimableWorkflows?) async throws -> RunRecord? {
        state.withLock { state in
            let candidates = state.runs.values.filter { stored in workflows?.admits(stored.record) ?? true }
            // Due sleepers first, then runs whose worker died, then new runs, each oldest first.
            let due = candidates.filter { $0.record.status == .sleeping && $0.record.wakeAt! <= now }
                .min { ($0.record.wakeAt!, $0.order) < ($1.record.wakeAt!, $1.order) }
            let expired = candidates.filter { $0.record.status == .running && $0.record.leaseUntil! < now }
                .min { ($0.record.leaseUntil!, $0.order) < ($1.record.leaseUntil!, $1.order) }
            let pending = candidates.filter { $0.record.status == .pending }
                .min { ($0.queueTime, $0.order) < ($1.queueTime, $1.order) }
            guard let chosen = due ?? expired ?? pending else { return nil }
            return state.claim(chosen.record.runID, owner: owner, leaseUntil: leaseUntil, now: now)
        }
    }

    public func claimRun(
        _ runID: WorkflowRunID, owner: String, leaseUntil: Date, now: Date, wakingBy: Date
    ) async throws -> RunRecord? {
        state.withLock { state in
            guard let run = state.runs[runID]?.record else { return nil }
            switch run.status {
            case .pending: break
            case .sleeping where run.wakeAt! <= wakingBy: break
            case .running where run.leaseUntil! < now: break
            default: return nil
            }
            return state.claim(runID, owner: owner, leaseUntil: leaseUntil, now: now)
        }
    }

    public func steps(of runID: WorkflowRunID) async throws -> [StepRecord] {
        state.withLock { state in (state.steps[runID] ?? [:]).values.sorted { $0.sequence < $1.sequence } }
    }

    public func steps(of runID: WorkflowRunID, afterSequence: Int?, limit: Int) async throws -> [StepRecord] {
        let all = try await steps(of: runID)
        return Array(all.drop { $0.sequence <= (afterSequence ?? Int.min) }.prefix(limit))
    }

    @discardableResult
    public func commit(
        runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, spawning: RunSpawn?, now: Date
    ) async throws -> Bool {
        try state.withLock { state in
            guard var stored = state.runs[runID], stored.owner == owner, stored.record.status == .running else {
                throw LeaseLostError(runID: runID)
            }
            if let step { state.upsert(step, of: runID) }
            // A checkpoint that leaves the lease as it is leaves the rest of the run as it is too.
            if transition != .keepRunning(leaseUntil: nil) { stored.updatedAt = now }
            switch transition {
            case .keepRunning(let leaseUntil):
                // Never backwards: a slow heartbeat landing after a checkpoint keeps the later lease.
                if let leaseUntil { stored.record.leaseUntil = max(stored.record.leaseUntil ?? leaseUntil, leaseUntil) }
                if step != nil { stored.record.unfinishedInvocations = 1 }
            case .suspend(let wakeAt):
                // An event delivered while the run was executing makes it due at once.
                let delivered = state.waitingKeys(of: runID).contains { state.event(key: $0, now: now) != nil }
                stored.end(as: .sleeping)
                stored.record.wakeAt = delivered ? now : wakeAt
            case .release:
                stored.end(as: .pending)
            case .complete(let result):
                stored.end(as: .completed)
                stored.record.result = result
                stored.record.completedAt = now
            case .fail(let stepID, let error):
                stored.end(as: .failed)
                stored.record.errorMessage = error
                stored.record.completedAt = now
                state.deadLetters.append(DeadLetterRecord(
                    id: UUID().uuidString, runID: runID, workflowID: stored.record.workflowID, stepID: stepID,
                    input: stored.record.input, errorMessage: error, createdAt: now))
            case .cancel(let reason):
                stored.end(as: .cancelled)
                stored.record.errorMessage = reason
                stored.record.completedAt = now
            }
            state.runs[runID] = stored
            if stored.record.status.isFinished { state.childEnded(stored.record, now: now) }
            if let spawn = spawning, state.runs[spawn.runID] == nil {
                state.insert(RunRecord(
                    runID: spawn.runID, workflowID: spawn.workflowID, status: .pending, input: spawn.input, createdAt: now,
                    traceContext: spawn.traceContext, parent: spawn.parent, continuedFrom: spawn.continuedFrom,
                    workflowVersion: spawn.workflowVersion, flow: spawn.flow), now: now)
            } else if stored.record.status.isFinished {
                state.admit(after: stored.record, now: now)
            }
            return stored.record.cancelRequestedAt != nil
        }
    }

    public func cancelRun(_ runID: WorkflowRunID, now: Date, handingOver: Bool) async throws -> CancellationOutcome? {
        state.withLock { state in
            guard var stored = state.runs[runID] else { return nil }
            if stored.record.status.isFinished { return .alreadyFinished(stored.record) }
            stored.updatedAt = now
            let executing = stored.record.status == .running && stored.record.leaseUntil.map { $0 >= now } == true
            let handedBack = stored.record.status == .pending && stored.record.cancelRequestedAt != nil
            // A queued run has not started: cancelled at once, with nothing for a failure handler to undo.
            if executing || handedBack || (handingOver && stored.record.status != .queued) {
                if stored.record.cancelRequestedAt == nil { stored.record.cancelRequestedAt = now }
                if !(executing || handedBack) { stored.end(as: .pending) }
                state.runs[runID] = stored
                return .requested(stored.record)
            }
            stored.end(as: .cancelled)
            stored.record.errorMessage = CancellationOutcome.reasonWhileIdle
            stored.record.completedAt = now
            state.runs[runID] = stored
            state.childEnded(stored.record, now: now)
            state.admit(after: stored.record, now: now)
            return .cancelled(stored.record)
        }
    }

    public func recordInvocationFailure(runID: WorkflowRunID, owner: String, error: String, retryAt: Date) async throws {
        state.withLock { state in
            guard let stored = state.runs[runID], stored.owner == owner, stored.record.status == .running else { return }
            state.runs[runID]?.record.lastInvocationError = error
            state.runs[runID]?.record.leaseUntil = retryAt
        }
    }

    public func deliverEvent(key: String, payload: String, now: Date) async throws -> [RunRecord] {
        state.withLock { state in
            let woken = state.deliver(key: key, payload: payload, now: now)
            let oldest = EventRetention.oldestKept(at: now)
            state.events.removeAll { $0.createdAt < oldest }
            return woken
        }
    }

    public func event(key: String, now: Date) async throws -> String? {
        state.withLock { $0.event(key: key, now: now) }
    }

    public func nextWakeTime(after date: Date) async throws -> Date? {
        state.withLock { state in
            state.runs.values.compactMap { stored -> Date? in
                switch stored.record.status {
                case .sleeping: stored.record.wakeAt.flatMap { $0 > date ? $0 : nil }
                case .running: stored.record.leaseUntil.flatMap { $0 > date ? $0 : nil }
                default: nil
                }
            }.min()
        }
    }

    public func overdueRuns(before: Date, limit: Int, workflows: ClaimableWorkflows?) async throws -> [RunRecord] {
        state.withLock { state in
            state.runs.values.filter { stored in
                guard workflows?.admits(stored.record) ?? true else { return false }
                switch stored.record.status {
                case .sleeping: return stored.record.wakeAt! < before
                case .running: return stored.record.leaseUntil! < before
                case .pending: return stored.updatedAt < before
                default: return false
                }
            }
            .sorted { ($0.updatedAt, $0.order) < ($1.updatedAt, $1.order) }
            .prefix(max(0, limit)).map(\.record)
        }
    }

    public func run(_ runID: WorkflowRunID) async throws -> RunRecord? {
        state.withLock { $0.runs[runID]?.record }
    }

    public func runCounts(now: Date) async throws -> RunCounts? {
        state.withLock { state in
            var counts = RunCounts(runnable: 0, sleeping: 0)
            for stored in state.runs.values {
                switch stored.record.status {
                case .pending: counts.runnable += 1
                case .sleeping where stored.record.wakeAt! <= now: counts.runnable += 1
                case .sleeping: counts.sleeping += 1
                default: break
                }
            }
            return counts
        }
    }

    public func reopenDeadLetter(id: String, now: Date) async throws -> RunRecord {
        let key = UUID(uuidString: id)?.uuidString ?? id
        return try state.withLock { state in
            guard let index = state.deadLetters.firstIndex(where: { $0.id == key && $0.replayedAt == nil }),
                var stored = state.runs[state.deadLetters[index].runID], stored.record.status == .failed
            else { throw DeadLetterNotFoundError(id: id) }
            let letter = state.deadLetters[index]
            stored.end(as: .pending)
            stored.updatedAt = now
            stored.record.errorMessage = nil
            stored.record.completedAt = nil
            stored.record.lastInvocationError = nil
            stored.record.cancelRequestedAt = nil
            stored.record.historyVersion += 1
            state.runs[letter.runID] = stored
            if let stepID = letter.stepID, var step = state.steps[letter.runID]?[stepID], step.status == .failed {
                step.status = .retrying
                step.attempts = 0
                state.steps[letter.runID]?[stepID] = step
            }
            state.deadLetters[index].replayedAt = now
            return stored.record
        }
    }
}
