import Foundation
import Hookflow
import Synchronization

/// `notify(key:payload:)` in stateless mode, which keeps no events.
public struct StatelessEventsError: Error, CustomStringConvertible {
    public let key: String

    public var description: String {
        "cannot deliver event '\(key)': stateless QStash mode (MessageStateStore) keeps no events; "
            + "use a database store to wait for events"
    }
}

/// `cancel(_:)` in stateless mode, which keeps no run that could be stopped.
public struct StatelessCancellationError: Error, CustomStringConvertible {
    public let runID: WorkflowRunID

    public var description: String {
        "cannot cancel run '\(runID)': stateless QStash mode (MessageStateStore) keeps no run state; "
            + "use a database store to cancel runs"
    }
}

/// The store of stateless mode: no database. A run lives in its QStash message; while one
/// of its deliveries executes, or between its trigger and its first publish, it is held
/// here in memory, and the next message takes it along.
///
/// Without a shared database two deliveries of one message at once can both execute it,
/// and dead letters last as long as the process: the guarantees of the database mode need
/// the database.
public final class MessageStateStore: WorkflowStore {
    private struct Held {
        var run: RunRecord
        var steps: [String: StepRecord]
        var owner: String?
    }

    private struct Letter {
        var record: DeadLetterRecord
        /// The run as it failed, to resume it from the failed step.
        var state: StatelessRunState
    }

    private let runs = Mutex<[WorkflowRunID: Held]>([:])
    private let letters = Mutex<[Letter]>([])

    public init() {}

    /// Takes in the run a delivery brought. It is runnable at once: a sleep delivered early
    /// suspends again until its recorded wake time.
    public func load(_ runID: WorkflowRunID, _ state: StatelessRunState) {
        let steps = state.steps
        let run = RunRecord(
            runID: runID, workflowID: state.workflowID, status: .pending, input: state.data, createdAt: state.createdAt,
            traceContext: state.traceContext)
        runs.withLock { runs in
            guard runs[runID]?.owner == nil else { return }
            runs[runID] = Held(run: run, steps: Dictionary(steps.map { ($0.stepID, $0) }, uniquingKeysWith: { $1 }))
        }
    }

    /// The run as its next message carries it, or `nil` when it is not held here.
    public func state(of runID: WorkflowRunID) -> StatelessRunState? {
        runs.withLock { $0[runID].map(Self.state) }
    }

    private static func state(_ held: Held) -> StatelessRunState {
        StatelessRunState(
            workflowID: held.run.workflowID, data: held.run.input, createdAt: held.run.createdAt,
            steps: held.steps.values.sorted { $0.sequence < $1.sequence }, traceContext: held.run.traceContext)
    }

    /// Drops the run unless a delivery is executing it.
    public func forget(_ runID: WorkflowRunID) {
        runs.withLock { runs in
            if runs[runID]?.owner == nil { runs[runID] = nil }
        }
    }

    public func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        workflowVersion: Int, startAt: Date?, scheduledBy: ScheduleTick?, flow: RunFlow, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool) {
        if flow.isLimited {
            throw ChildRunsUnsupportedError(
                reason: "stateless QStash mode (MessageStateStore) keeps no run state; use a database store for concurrency limits")
        }
        if startAt != nil {
            throw ChildRunsUnsupportedError(
                reason: "stateless QStash mode (MessageStateStore) keeps no run state; use a database store to start a run later")
        }
        if parent != nil {
            throw ChildRunsUnsupportedError(
                reason: "stateless QStash mode (MessageStateStore) keeps no run state; use a database store for child workflows")
        }
        return runs.withLock { runs in
            if let held = runs[runID] { return (held.run.workflowID, held.run.status, held.run.input, false) }
            runs[runID] = Held(
                run: RunRecord(
                    runID: runID, workflowID: workflowID, status: .pending, input: input, createdAt: now,
                    traceContext: traceContext),
                steps: [:])
            return (workflowID, .pending, input, true)
        }
    }

    public func claimNextRun(
        owner: String, leaseUntil: Date, now: Date, workflows: ClaimableWorkflows?
    ) async throws -> RunRecord? { nil }

    public func claimRun(
        _ runID: WorkflowRunID, owner: String, leaseUntil: Date, now: Date, wakingBy: Date
    ) async throws -> RunRecord? {
        runs.withLock { runs in
            guard var held = runs[runID], held.owner == nil, held.run.status == .pending else { return nil }
            held.owner = owner
            held.run.status = .running
            runs[runID] = held
            return held.run
        }
    }

    public func steps(of runID: WorkflowRunID) async throws -> [StepRecord] {
        runs.withLock { $0[runID]?.steps.values.sorted { $0.sequence < $1.sequence } ?? [] }
    }

    public func steps(of runID: WorkflowRunID, afterSequence: Int?, limit: Int) async throws -> [StepRecord] {
        let all = try await steps(of: runID)
        return Array(all.drop { $0.sequence <= (afterSequence ?? Int.min) }.prefix(limit))
    }

    /// Never reports a cancellation: stateless mode cannot cancel (see ``cancelRun(_:now:)``).
    @discardableResult
    public func commit(
        runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, spawning: RunSpawn?, now: Date
    ) async throws -> Bool {
        if spawning != nil {
            throw ChildRunsUnsupportedError(
                reason: "stateless QStash mode (MessageStateStore) keeps no run state; use a database store to continue as new")
        }
        let failed: Letter? = try runs.withLock { runs in
            guard var held = runs[runID], held.owner == owner, held.run.status == .running else {
                throw LeaseLostError(runID: runID)
            }
            if let step { held.steps[step.stepID] = step }
            var letter: Letter?
            switch transition {
            case .keepRunning:
                break
            case .suspend(let wakeAt):
                held.run.status = .sleeping
                held.run.wakeAt = wakeAt
                held.owner = nil
            case .release:
                held.run.status = .pending
                held.owner = nil
            case .complete(let result):
                held.run.status = .completed
                held.run.result = result
                held.run.completedAt = now
                held.owner = nil
            case .fail(let stepID, let error):
                held.run.status = .failed
                held.run.errorMessage = error
                held.run.completedAt = now
                held.owner = nil
                letter = Letter(
                    record: DeadLetterRecord(
                        id: UUID().uuidString, runID: runID, workflowID: held.run.workflowID, stepID: stepID,
                        input: held.run.input, errorMessage: error, createdAt: now),
                    state: Self.state(held))
            case .cancel(let reason):
                held.run.status = .cancelled
                held.run.errorMessage = reason
                held.run.completedAt = now
                held.owner = nil
            }
            runs[runID] = held
            return letter
        }
        if let failed { letters.withLock { $0.append(failed) } }
        return false
    }

    /// Stateless mode cannot cancel: a run lives in its next QStash message, which no instance
    /// can reach. Cancel runs with a database store.
    public func cancelRun(_ runID: WorkflowRunID, now: Date, handingOver: Bool) async throws -> CancellationOutcome? {
        throw StatelessCancellationError(runID: runID)
    }

    /// Stateless mode keeps no counts across messages: QStash's own retries and dead letter queue bound a failing run.
    public func recordInvocationFailure(runID: WorkflowRunID, owner: String, error: String, retryAt: Date) async throws {}

    /// Stateless mode has no place to keep an event for a run that is not in this process.
    public func deliverEvent(key: String, payload: String, now: Date) async throws -> [RunRecord] {
        throw StatelessEventsError(key: key)
    }

    /// Always `nil`: a wait in stateless mode ends by its timeout.
    public func event(key: String, now: Date) async throws -> String? { nil }

    public func nextWakeTime(after date: Date) async throws -> Date? { nil }

    /// Always empty: a stateless run lives in its message, which QStash retries and dead-letters.
    public func overdueRuns(before: Date, limit: Int, workflows: ClaimableWorkflows?) async throws -> [RunRecord] { [] }

    public func run(_ runID: WorkflowRunID) async throws -> RunRecord? {
        runs.withLock { $0[runID]?.run }
    }

    /// Stateless mode keeps no runs to list.
    public func listRuns(_ filter: RunFilter, after cursor: ListCursor?, limit: Int) async throws -> RunPage {
        RunPage(runs: [], next: nil)
    }

    /// Stateless mode keeps no runs to count.
    public func countRunsByStatus() async throws -> [String: [RunStatus: Int]] { [:] }
    public func countStepRetries(since: Date) async throws -> Int { 0 }

    /// Dead letters of this process: stateless mode keeps them in memory only.
    public func listDeadLetters(_ filter: DeadLetterFilter, after cursor: ListCursor?, limit: Int) async throws -> DeadLetterPage {
        let matching = letters.withLock { letters in
            letters.reversed().map(\.record).filter { letter in
                filter.matches(letter) && (cursor?.precedes(createdAt: letter.createdAt, id: letter.id) ?? true)
            }
        }
        let page = Array(matching.prefix(max(0, limit)))
        return DeadLetterPage(deadLetters: page, next: matching.count > page.count ? page.last.map(ListCursor.init(after:)) : nil)
    }

    public func deadLetter(id: String) async throws -> DeadLetterRecord? {
        letters.withLock { letters in letters.first { $0.record.id == id }?.record }
    }

    public func deleteDeadLetter(id: String) async throws -> Bool {
        letters.withLock { letters in
            guard let index = letters.firstIndex(where: { $0.record.id == id }) else { return false }
            letters.remove(at: index)
            return true
        }
    }

    /// Stateless mode keeps no finished runs to fork from.
    public func forkRun(
        _ runID: WorkflowRunID, as newRunID: WorkflowRunID, fromStep stepID: String, now: Date
    ) async throws -> RunRecord {
        throw WorkflowRunNotFoundError(runID: runID)
    }

    /// Stateless mode keeps no finished runs.
    public func deleteFinishedRuns(before: Date, limit: Int, keepingDeadLetters: Bool) async throws -> CleanupReport {
        CleanupReport(runs: 0, deadLetters: 0)
    }

    public func deleteDeadLetters(before: Date, limit: Int) async throws -> Int {
        letters.withLock { letters in
            let expired = letters.prefix { $0.record.createdAt < before }.prefix(max(0, limit)).count
            letters.removeFirst(expired)
            return expired
        }
    }

    public func countExpired(before: Date) async throws -> (runs: Int, deadLetters: Int) {
        (0, letters.withLock { $0.filter { $0.record.createdAt < before }.count })
    }

    public func reopenDeadLetter(id: String, now: Date) async throws -> RunRecord {
        let letter: Letter? = letters.withLock { letters in
            guard let index = letters.firstIndex(where: { $0.record.id == id && $0.record.replayedAt == nil }) else {
                return nil
            }
            letters[index].record.replayedAt = now
            return letters[index]
        }
        guard let letter else { throw DeadLetterNotFoundError(id: id) }
        var state = letter.state
        for index in state.steps.indices where state.steps[index].status == .failed {
            state.steps[index].status = .retrying
            state.steps[index].attempts = 0
        }
        load(letter.record.runID, state)
        guard let run = try await run(letter.record.runID) else { throw DeadLetterNotFoundError(id: id) }
        return run
    }
}
