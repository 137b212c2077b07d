import Foundation
import Logging
import Synchronization

/// Durable operations of one run: `ctx.step`.
///
/// Every operation takes a step id that is unique within the run and stable across
/// deploys. A step is checkpointed once; when the body is replayed the stored result
/// is returned and the closure is not called.
public final class StepManager: Sendable {
    /// The run whose steps these are.
    public let runID: WorkflowRunID
    /// The workflow being executed.
    public let workflowID: String
    let logger: Logger
    let engine: WorkflowEngine
    let owner: String
    let defaultRetryPolicy: RetryPolicy
    let shouldStop: @Sendable () -> Bool
    /// The run that started this one as its child, if one did.
    let parent: RunParent?
    /// When the run times out (``Workflow/executionTimeout``): it never sleeps past it.
    let deadline: Date?
    /// Whether the workflow has a failure handler (``FailureHandlingWorkflow``).
    let hasFailureHandler: Bool
    /// How early this invocation runs before the wake time it was delivered for (clock skew):
    /// a sleep or a wait's timeout that ends within it is over.
    let earlyBy: TimeInterval
    let state: Mutex<State>

    struct State {
        var history: [String: StepRecord]
        /// The results of completed steps, once decoded.
        var decoded: [String: any Sendable] = [:]
        /// Whether a write failed in a way that leaves unknown whether it was committed.
        var writesUncertain = false
        var seen: [String: StepKind] = [:]
        var nextSequence: Int
        var ended: InvocationOutcome?
        /// The durable waits this invocation reached, written once every step still running beside them is done.
        var suspension: PendingSuspension?
        /// The store's error, when a write failed for another reason than a lost lease.
        var storeError: String?
        /// A shutdown gave the invocation up: the body still unwinding writes nothing.
        var abandoned = false
        /// An operator cancelled the run: its next step throws ``WorkflowCancelledError``.
        var cancellation: Cancellation?
        /// A child step was reached (replayed or new): the run may have children.
        var reachedChildStep = false
        /// How many recorded values (`ctx.now`, `ctx.uuid()`, …) of each kind the body has read.
        var recordedValues: [String: Int] = [:]
        /// The failure handler's progress (``FailureHandlingWorkflow``).
        var handling = FailureHandling()
        /// The race branches that lost (``race(_:_:or:)``): their steps write nothing more.
        var lostBranches: Set<RaceBranch> = []
        /// The steps begun in each race branch.
        var raceSteps: [RaceBranch: [String]] = [:]
    }

    init(
        engine: WorkflowEngine, run: RunRecord, owner: String, history: [StepRecord], cached: CachedHistory? = nil,
        retryPolicy: RetryPolicy,
        logger: Logger, earlyBy: TimeInterval = 0, deadline: Date? = nil, hasFailureHandler: Bool = false,
        shouldStop: @escaping @Sendable () -> Bool
    ) {
        self.deadline = deadline
        self.hasFailureHandler = hasFailureHandler
        self.earlyBy = earlyBy
        self.engine = engine
        self.runID = run.runID
        self.parent = run.parent
        self.workflowID = run.workflowID
        self.owner = owner
        self.defaultRetryPolicy = retryPolicy
        self.logger = logger
        self.shouldStop = shouldStop
        let byID = cached?.steps ?? Dictionary(history.map { ($0.stepID, $0) }, uniquingKeysWith: { _, last in last })
        let next = cached?.nextSequence ?? (history.map(\.sequence).max() ?? -1) + 1
        self.state = Mutex(State(
            history: byID, decoded: cached?.decoded ?? [:], nextSequence: next,
            cancellation: run.cancelRequestedAt.map { Cancellation(requestedAt: $0) }))
    }

    /// How the invocation ended, once a step suspended or failed it.
    var ended: InvocationOutcome? { state.withLock { $0.ended } }

    /// Whether the body reached a child step (``invoke(_:_:input:onParentCancel:)``, ``start(_:_:input:onParentCancel:)``).
    var reachedChildStep: Bool { state.withLock { $0.reachedChildStep } }

    /// The engine's clock. Steps that record times (deadlines, when something was seen)
    /// read it, so that a test clock governs them too.
    public var now: Date { engine.now() }

    // MARK: run

    /// Runs `body` once and checkpoints its result; a replay returns the stored result.
    ///
    /// A thrown error is retried by `retry` (or the workflow's ``Workflow/retryPolicy``)
    /// after a durable back-off; ``NonRetryableError`` fails the run at once.
    /// The body runs at least once: a crash between the body and its checkpoint runs it again.
    ///
    /// ```swift
    /// let order = try await ctx.step.run("validate") { try await orders.validate(id) }
    /// ```
    @discardableResult
    public func run<T: Codable & Sendable>(
        _ id: String, retry: RetryPolicy? = nil, _ body: () async throws -> T
    ) async throws -> T {
        try await execute(id, kind: .run, retry: retry, body)
    }

    /// Runs `body` once for its effect; a replay skips it.
    public func run(_ id: String, retry: RetryPolicy? = nil, _ body: () async throws -> Void) async throws {
        let _: JSON = try await execute(id, kind: .run, retry: retry) {
            try await body()
            return .null
        }
    }

    // MARK: Core

    /// With `isCurrent`, the step is a round of a loop that keeps one row for it: a stored result
    /// that is not current (an earlier round's) is replaced by running `body` again, in place.
    func execute<T: Codable & Sendable>(
        _ id: String, kind: StepKind, retry: RetryPolicy?, isCurrent: ((T) -> Bool)? = nil, _ body: () async throws -> T
    ) async throws -> T {
        var record = try await begin(id, kind: kind, again: isCurrent != nil)
        if let stored = record, stored.status == .completed {
            let value = try await decode(T.self, stored)
            guard let isCurrent, !isCurrent(value) else { return value }
            record = StepRecord(
                stepID: id, kind: kind, status: .retrying, attempts: 0, sequence: stored.sequence, executedAt: stored.executedAt)
        }
        try await stopIfRequested()
        try deliverCancellation(suspending: false)
        let attempt = (record?.attempts ?? 0) + 1
        let sequence = record?.sequence ?? allocateSequence()
        // The step's id goes into each message's metadata: a handler may re-render the logger's on every change.
        logger.info(
            "step started",
            metadata: attempt > 1 ? ["hookflow.step": "\(id)", "hookflow.attempt": "\(attempt)"] : ["hookflow.step": "\(id)"])

        let dimensions = [("workflow", workflowID), ("kind", kind.rawValue)]
        engine.metrics.increment(.stepAttempts, dimensions)
        let started = engine.now()
        let value: T
        do {
            value = try await engine.withSpan("hookflow.step", context: .current ?? .topLevel, ofKind: .internal) { span in
                span.setStepAttributes(runID: runID, workflowID: workflowID, stepID: id, kind: kind, attempt: attempt)
                return try await engine.metrics.time(.stepDuration, dimensions, body)
            }
        } catch {
            throw await failed(
                id, kind: kind, sequence: sequence, attempt: attempt, started: started, error: error,
                policy: retry ?? defaultRetryPolicy, logger: logger(forStep: id))
        }
        let text: String
        do {
            text = try JSONCoding.encode(value)
        } catch {
            let coding = StepCodingError(
                workflowID: workflowID, runID: runID, stepID: id, reason: "its result does not encode as JSON: \(error)")
            throw await end(
                step: nil, transition: .fail(stepID: id, error: coding.description), outcome: .failed, logger: logger(forStep: id))
        }
        try await checkpoint(StepRecord(
            stepID: id, kind: kind, status: .completed, result: text, attempts: attempt, sequence: sequence,
            startedAt: started, executedAt: engine.now()))
        // Kept as it is, so that a replay from the history cache need not decode it.
        state.withLock { $0.decoded[id] = value }
        logger.info("step completed", metadata: ["hookflow.step": "\(id)"])
        return value
    }

    /// The invocation's logger with the step's id in its metadata.
    func logger(forStep id: String) -> Logger {
        var logger = self.logger
        logger[metadataKey: "hookflow.step"] = "\(id)"
        return logger
    }

    /// Checks the step against the run's history and this execution; returns its record, if any.
    /// `again`: the step is a round of a loop, which may begin it again in one execution.
    func begin(_ id: String, kind: StepKind, again: Bool = false) async throws -> StepRecord? {
        try await require(id, as: "step id")
        enum Check { case ended, duplicate(StepKind), mismatch(StepKind), ok(StepRecord?) }
        let check: Check = state.withLock { state in
            // Beside a durable wait (a fan-out), other steps still begin; after any other end, none does.
            switch state.ended {
            case nil, .suspended?: break
            default: return .ended
            }
            // A failed run's body unwinds to its failure handler: no step of the body begins meanwhile.
            if state.handling.failure != nil, !state.handling.running { return .ended }
            if let first = state.seen[id], !(again && first == kind) { return .duplicate(first) }
            state.seen[id] = kind
            for branch in RaceBranch.path { state.raceSteps[branch, default: []].append(id) }
            if kind == .child { state.reachedChildStep = true }
            if let record = state.history[id], record.kind != kind { return .mismatch(record.kind) }
            return .ok(state.history[id])
        }
        switch check {
        case .ok(let record):
            if record?.status == .abandoned || inAbandonedBranch { throw BranchAbandoned() }
            if let record, record.status == .failed, hasFailureHandler {
                // The step that failed the run, replayed by an invocation that resumes its failure handler.
                throw await end(step: nil, transition: .fail(stepID: id, error: record.errorMessage ?? "failed"), outcome: .failed)
            }
            // A version the history lacks is how older code replays: `version` takes 1 then.
            if let log = engine.configuration.replayLog, record?.status != .completed, kind != .version {
                throw endReplay(at: id, kind: kind, recorded: record != nil, log: log)
            }
            return record
        case .ended:
            throw WorkflowSuspension()
        case .duplicate(let first), .mismatch(let first):
            var isDuplicate = false
            if case .duplicate = check { isDuplicate = true }
            let error = WorkflowNondeterminismError(
                workflowID: workflowID, runID: runID, stepID: id, recordedKind: first, requestedKind: kind,
                isDuplicate: isDuplicate)
            throw await end(step: nil, transition: .fail(stepID: id, error: error.description), outcome: .failed)
        }
    }

    func allocateSequence() -> Int {
        state.withLock { state in
            defer { state.nextSequence += 1 }
            return state.nextSequence
        }
    }

    /// Graceful shutdown: hands the run back before a new step starts.
    func stopIfRequested() async throws {
        guard shouldStop() else { return }
        logger.info("releasing the run for shutdown")
        throw await end(step: nil, transition: .release, outcome: .released)
    }

    /// Writes a completed step, and extends the lease once a third of it has gone by since it was
    /// last extended (until then, the run's row is left as it is: the step is all the write);
    /// writes nothing once the lease is lost.
    func checkpoint(_ step: StepRecord) async throws {
        if inAbandonedBranch { throw BranchAbandoned() }
        if state.withLock({ $0.ended == .leaseLost || $0.abandoned }) { throw WorkflowSuspension() }
        do {
            let now = engine.now()
            let fresh = engine.leases.holds(owner: owner, until: HookflowTime.date(now, plus: engine.configuration.leaseDuration * 2 / 3))
            let until = fresh ? nil : engine.leaseEnd(from: now)
            try await engine.commit(runID: runID, owner: owner, step: step, transition: .keepRunning(leaseUntil: until))
            if let until { engine.leases.confirm(owner: owner, until: until) }
            wrote(step)
        } catch {
            throw record(storeError: error)
        }
    }

    /// Writes the invocation's last transition and returns the error that unwinds the body.
    /// A suspension is only noted: it is written by ``finish()`` once the steps still running
    /// beside it (`async let`, task groups) have checkpointed.
    func end(
        step: StepRecord?, transition: RunTransition, outcome: InvocationOutcome, logger: Logger? = nil
    ) async -> any Error {
        // A branch that lost a race ends nothing.
        if inAbandonedBranch { return BranchAbandoned() }
        if case .suspend(let wakeAt) = transition {
            note(suspensionOf: step, until: wakeAt)
            return WorkflowSuspension()
        }
        if state.withLock({ $0.abandoned }) { return WorkflowSuspension() }
        var transition = transition
        if case .fail(let stepID, let message) = transition {
            if let deferred = await deferFailure(step: step, stepID: stepID, message: message) { return deferred }
            if let failure = state.withLock({ $0.handling.running ? $0.handling.failure : nil }) {
                transition = .fail(stepID: failure.stepID ?? stepID, error: "\(failure.message); its failure handler failed too: \(message)")
            }
        }
        do {
            try await engine.commit(runID: runID, owner: owner, step: step, transition: transition)
            if let step { wrote(step) }
            state.withLock { state in
                // A failure overrides a suspension not yet written.
                if state.ended == nil || state.suspension != nil {
                    state.ended = outcome
                    state.suspension = nil
                }
            }
            if case .fail(_, let error) = transition {
                (logger ?? self.logger).error("run failed: \(StoredText.errorMessage(error))")
            }
        } catch {
            return record(storeError: error)
        }
        return WorkflowSuspension()
    }
}
