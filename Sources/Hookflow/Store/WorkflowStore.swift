import Foundation

/// Where runs, steps and dead letters are kept: the seam between the engine and a database.
///
/// Every write that follows a claim is fenced by the lease: it succeeds only while
/// the run is still leased to `owner`, and throws ``LeaseLostError`` otherwise.
public protocol WorkflowStore: ScheduleStore {
    /// Inserts a pending run unless `runID` exists, with the trace context of its trigger and the
    /// run that started it as a child, if one did; with `startAt` (a delayed start) the run sleeps
    /// until then instead; `scheduledBy`: the schedule tick that started it. A run with a limit
    /// (``RunFlow/isLimited``) is created queued and admitted in the same transaction when its scopes
    /// have free slots. Returns the workflow id, status and input of the run that holds the id,
    /// and whether this call created it.
    func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        workflowVersion: Int, startAt: Date?, scheduledBy: ScheduleTick?, flow: RunFlow, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool)

    /// Leases one runnable run to `owner`: pending, due to wake, or whose lease expired, and
    /// counts the claim in ``RunRecord/unfinishedInvocations`` (a write with progress resets it);
    /// only a run `workflows` admits when given (an instance claims only what it can execute:
    /// during a rolling deploy, older instances leave newer workflows and versions alone).
    func claimNextRun(owner: String, leaseUntil: Date, now: Date, workflows: ClaimableWorkflows?) async throws -> RunRecord?

    /// Leases `runID` to `owner` if it is runnable: pending, due to wake by `wakingBy` (`now`, or
    /// later for a delivery allowed to be early), or whose lease expired by `now`.
    func claimRun(_ runID: WorkflowRunID, owner: String, leaseUntil: Date, now: Date, wakingBy: Date) async throws
        -> RunRecord?

    /// The steps of a run, in execution order.
    func steps(of runID: WorkflowRunID) async throws -> [StepRecord]

    /// A page of a run's steps, in execution order: those after position `afterSequence`
    /// (``StepRecord/sequence``), or from the first when `nil`; at most `limit` of them. An unknown
    /// run has none.
    func steps(of runID: WorkflowRunID, afterSequence: Int?, limit: Int) async throws -> [StepRecord]

    /// Writes `step` (when given) and applies `transition` in one transaction, fenced by the lease;
    /// returns whether a cancellation of the run has been asked for (``cancelRun(_:now:)``).
    ///
    /// A child run that ends (completed, failed, cancelled; here or in ``cancelRun(_:now:)``)
    /// delivers, in the same transaction, the event ``ChildRuns/eventKey(of:)`` with its status,
    /// which wakes a parent waiting for it.
    ///
    /// A run suspended while one of its steps waits for an event that has already been
    /// delivered is made due at once rather than at `wakeAt`.
    /// With `spawning`, the transaction also creates that run, pending (a run that continues as new:
    /// its successor exists exactly when it completed).
    @discardableResult
    func commit(
        runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, spawning: RunSpawn?, now: Date
    ) async throws -> Bool

    /// Cancels `runID` at once unless it is executing (running, its lease not expired at `now`,
    /// or pending after it was handed back to deliver its cancellation): then notes the request,
    /// which the next ``commit(runID:owner:step:transition:now:)`` and claim of the run report.
    /// A finished run is left as it is. `nil` when there is no such run. Reopening a failed run
    /// (``reopenDeadLetter(id:now:)``) forgets the request.
    ///
    /// `handingOver`: a run not executing is not cancelled at once but made pending with the
    /// request noted (``CancellationOutcome/requested(_:)``), so that an invocation delivers it
    /// and the workflow's failure handler runs.
    func cancelRun(_ runID: WorkflowRunID, now: Date, handingOver: Bool) async throws -> CancellationOutcome?

    /// Notes why an invocation of a run leased to `owner` could not write (`error`) and keeps the
    /// run from being claimed again before `retryAt` (a back-off). The claim that follows counts
    /// it in ``RunRecord/unfinishedInvocations``.
    func recordInvocationFailure(runID: WorkflowRunID, owner: String, error: String, retryAt: Date) async throws

    /// Records an event and makes due every sleeping run with a step waiting for `key`;
    /// returns those runs. An event is kept for a retention period, so a wait that starts
    /// after it arrived still receives it.
    func deliverEvent(key: String, payload: String, now: Date) async throws -> [RunRecord]

    /// The payload of the latest event delivered under `key` that is still within its
    /// retention period at `now`, or `nil`.
    func event(key: String, now: Date) async throws -> String?

    /// The earliest time after `date` at which a sleeping run wakes or a lease expires.
    func nextWakeTime(after date: Date) async throws -> Date?

    /// Runs that should be executing but have not moved since `before`: pending (by their last
    /// update), due to wake, or whose lease expired, by then; oldest first, at most `limit`, of
    /// those `workflows` admits only when given.
    func overdueRuns(before: Date, limit: Int, workflows: ClaimableWorkflows?) async throws -> [RunRecord]

    /// One run, or `nil`.
    func run(_ runID: WorkflowRunID) async throws -> RunRecord?

    /// Collapses `trigger` into the run its key waits to start (asleep or queued, no step yet):
    /// that run takes its input and starts when the key has been quiet for the window (or at the
    /// first trigger's maximum wait). Creates the run, asleep until then, when none waits.
    func debounceRun(_ trigger: DebouncedTrigger, now: Date) async throws -> DebounceOutcome

    /// How many runs are runnable and how many asleep at `now`, for the gauges; `nil` when the
    /// store does not count (stateless mode).
    func runCounts(now: Date) async throws -> RunCounts?

    /// The runs that match `filter`, newest first (by creation time, then by id), starting after
    /// `cursor` when given; at most `limit` of them, with the cursor of the next page when there is one.
    func listRuns(_ filter: RunFilter, after cursor: ListCursor?, limit: Int) async throws -> RunPage

    /// How many runs each workflow has in each status (statuses with none left out).
    func countRunsByStatus() async throws -> [String: [RunStatus: Int]]

    /// How many times the steps last written at `since` or later were retried (their attempts
    /// beyond the first); 0 when the store does not count (stateless mode).
    func countStepRetries(since: Date) async throws -> Int

    /// The dead letters that match `filter`, newest first (by creation time, then by id), starting
    /// after `cursor` when given; at most `limit` of them, with the cursor of the next page.
    func listDeadLetters(_ filter: DeadLetterFilter, after cursor: ListCursor?, limit: Int) async throws -> DeadLetterPage

    /// One dead letter, or `nil`.
    func deadLetter(id: String) async throws -> DeadLetterRecord?

    /// Deletes one dead letter (its run stays as it is); `false` when there was none.
    func deleteDeadLetter(id: String) async throws -> Bool

    /// Creates `newRunID`, pending, with the workflow and input of `runID` and a copy of the steps
    /// `runID` recorded before `stepID`, so that it executes from that step. Throws
    /// ``WorkflowRunNotFoundError`` or ``StepNotFoundError``; an existing `newRunID` is a
    /// ``WorkflowRunConflictError``.
    func forkRun(_ runID: WorkflowRunID, as newRunID: WorkflowRunID, fromStep stepID: String, now: Date) async throws -> RunRecord

    /// Deletes at most `limit` runs that finished (completed or failed) before `before`, with their
    /// steps, and their dead letters unless `keepingDeadLetters`; returns how many runs and dead
    /// letters it deleted. One short transaction: a clean-up calls it until fewer than `limit` go.
    func deleteFinishedRuns(before: Date, limit: Int, keepingDeadLetters: Bool) async throws -> CleanupReport

    /// Deletes at most `limit` dead letters created before `before`; returns how many.
    func deleteDeadLetters(before: Date, limit: Int) async throws -> Int

    /// How many runs finished before `before`, and how many dead letters were created before it:
    /// what a cleanup would delete.
    func countExpired(before: Date) async throws -> (runs: Int, deadLetters: Int)

    /// Reopens the failed run of dead letter entry `id`: the run becomes pending and
    /// its failed step gets a fresh set of attempts; completed steps stay checkpointed.
    /// Throws ``DeadLetterNotFoundError`` when there is no such entry waiting.
    func reopenDeadLetter(id: String, now: Date) async throws -> RunRecord

    /// What the store keeps running in the background (its connections, a listener) until the
    /// task is cancelled. ``HookflowService`` runs it, and cancels it after its last write.
    func run() async throws

    /// Releases the store's resources. The store must not be used afterwards.
    func close() async throws
}

extension WorkflowStore {
    /// Writes `step` (when given) and applies `transition` in one transaction, fenced by the lease,
    /// creating no other run.
    @discardableResult
    public func commit(
        runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, now: Date
    ) async throws -> Bool {
        try await commit(runID: runID, owner: owner, step: step, transition: transition, spawning: nil, now: now)
    }

    /// Cancels `runID` at once unless it is executing (see ``cancelRun(_:now:handingOver:)``).
    public func cancelRun(_ runID: WorkflowRunID, now: Date) async throws -> CancellationOutcome? {
        try await cancelRun(runID, now: now, handingOver: false)
    }

    /// Inserts a pending run that belongs to no trace and no parent.
    public func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool) {
        try await createRun(runID: runID, workflowID: workflowID, input: input, traceContext: nil, parent: nil, now: now)
    }

    /// Inserts a run started by no schedule, with no limit.
    public func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        workflowVersion: Int, startAt: Date?, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool) {
        try await createRun(
            runID: runID, workflowID: workflowID, input: input, traceContext: traceContext, parent: parent,
            workflowVersion: workflowVersion, startAt: startAt, scheduledBy: nil, flow: .unlimited, now: now)
    }

    /// Inserts a pending run, to start at once.
    public func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        workflowVersion: Int, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool) {
        try await createRun(
            runID: runID, workflowID: workflowID, input: input, traceContext: traceContext, parent: parent,
            workflowVersion: workflowVersion, startAt: nil, now: now)
    }

    /// Inserts a pending run of version 1 of its workflow.
    public func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool) {
        try await createRun(
            runID: runID, workflowID: workflowID, input: input, traceContext: traceContext, parent: parent, workflowVersion: 1,
            now: now)
    }

    /// The newest dead letters, at most `limit`.
    public func deadLetters(limit: Int) async throws -> [DeadLetterRecord] {
        try await listDeadLetters(DeadLetterFilter(), after: nil, limit: limit).deadLetters
    }

    /// Nothing runs in the background.
    public func run() async throws {}

    /// Nothing to release.
    public func close() async throws {}

    /// Does not count.
    public func runCounts(now: Date) async throws -> RunCounts? { nil }

    /// Leases `runID` to `owner` if it is runnable now.
    public func claimRun(_ runID: WorkflowRunID, owner: String, leaseUntil: Date, now: Date) async throws -> RunRecord? {
        try await claimRun(runID, owner: owner, leaseUntil: leaseUntil, now: now, wakingBy: now)
    }

    /// Leases one runnable run of any workflow to `owner`.
    public func claimNextRun(owner: String, leaseUntil: Date, now: Date) async throws -> RunRecord? {
        try await claimNextRun(owner: owner, leaseUntil: leaseUntil, now: now, workflows: nil)
    }
}
