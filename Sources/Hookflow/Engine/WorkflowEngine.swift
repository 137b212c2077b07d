import Foundation
import Logging
import Synchronization

/// Triggers runs and executes their invocations against a ``WorkflowStore``.
///
/// One invocation replays the workflow's body from the top, returning checkpointed
/// results, and then keeps executing new steps until the body returns, fails, or
/// reaches a durable wait. Each new step costs one store transaction.
public final class WorkflowEngine: Sendable {
    public let store: any WorkflowStore
    public let registry: WorkflowRegistry
    public let configuration: Configuration
    let transport: any WorkflowTransport
    /// Identifies this engine's process in lease owners.
    let ownerPrefix: String
    /// The leases of the runs this engine is executing.
    let leases = LeaseBook()
    /// The invocations in flight, and how far a shutdown has gone.
    let shutdown = ShutdownGate()
    /// Wakes the scheduler when a schedule saved or resumed here fires before it planned to look.
    let scheduleSignal = WakeSignal()
    /// The histories of long runs asleep, for their next invocation here.
    let histories: HistoryCache

    public init(
        store: any WorkflowStore,
        registry: WorkflowRegistry,
        transport: any WorkflowTransport,
        configuration: Configuration = .init()
    ) {
        self.store = store
        self.registry = registry
        self.transport = transport
        self.configuration = configuration
        self.histories = HistoryCache(capacity: configuration.historyCacheSteps)
        self.ownerPrefix = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    var logger: Logger { configuration.logger }
    var metrics: HookflowMetrics { configuration.metrics }
    func now() -> Date { configuration.now() }
    func leaseEnd(from date: Date) -> Date { HookflowTime.date(date, plus: configuration.leaseDuration) }

    // MARK: Triggering

    /// Starts a run of `W` and returns its id as soon as the run is committed.
    ///
    /// With a `runID` of your own the call is idempotent: a second trigger with the
    /// same id and the same input returns that run without starting another; with other
    /// input it throws ``WorkflowRunConflictError`` (unless `ifExists` is `.returnExisting`).
    /// A run id must satisfy ``Identifier/validate(_:as:)``.
    ///
    /// A delayed start (`at:` a time, or after a `delay`) keeps the run asleep until then: it
    /// holds nothing meanwhile, and is cancelled like any sleeping run.
    ///
    /// With a `concurrencyKey`, at most ``Workflow/concurrencyPerKey`` runs triggered with that key
    /// are admitted and unfinished at once (and at most ``Workflow/concurrency`` of the workflow):
    /// the others wait as ``RunStatus/queued`` and are admitted in line as slots free. A higher
    /// `priority` goes first (``RunFlow/agingInterval`` keeps lower ones from starving).
    @discardableResult
    public func trigger<W: Workflow>(
        _ workflow: W.Type, input: W.Input, runID: WorkflowRunID? = nil,
        ifExists: ExistingRunPolicy = .requireSameInput, at start: Date? = nil, delay: Duration? = nil,
        concurrencyKey: String? = nil, priority: Int = 0
    ) async throws -> WorkflowRunID {
        guard registry.workflow(W.id) != nil else {
            throw UnknownWorkflowError(workflowID: W.id, registered: registry.ids)
        }
        return try await createRun(
            workflowID: W.id, input: JSONCoding.encode(input), runID: runID, ifExists: ifExists,
            startAt: try startTime(at: start, delay: delay), concurrencyKey: concurrencyKey, priority: priority)
    }

    /// Starts a run of the workflow registered as `workflowID` with a JSON payload,
    /// as the original's `trigger(data=...)` does. The payload is checked against the
    /// workflow's `Input` before anything is stored.
    @discardableResult
    public func trigger(
        workflowID: String, data: JSON, runID: WorkflowRunID? = nil, ifExists: ExistingRunPolicy = .requireSameInput,
        at start: Date? = nil, delay: Duration? = nil, concurrencyKey: String? = nil, priority: Int = 0
    ) async throws -> WorkflowRunID {
        guard let workflow = registry.workflow(workflowID) else {
            throw UnknownWorkflowError(workflowID: workflowID, registered: registry.ids)
        }
        let input = try JSONCoding.encode(data)
        try workflow.validateInput(input)
        return try await createRun(
            workflowID: workflowID, input: input, runID: runID, ifExists: ifExists, startAt: try startTime(at: start, delay: delay),
            concurrencyKey: concurrencyKey, priority: priority)
    }

    /// When a delayed start begins: `start`, or `delay` from now; `nil` for at once.
    private func startTime(at start: Date?, delay: Duration?) throws -> Date? {
        if start != nil, delay != nil {
            throw InvalidParameterError(parameter: "delay", value: "\(delay!)", reason: "cannot be given with at:; give one of them")
        }
        if let delay {
            guard delay >= .zero else {
                throw InvalidParameterError(parameter: "delay", value: "\(delay)", reason: "must not be negative")
            }
            return HookflowTime.date(now(), plus: delay)
        }
        return start.map(HookflowTime.clamp)
    }

    func createRun(
        workflowID: String, input: String, runID: WorkflowRunID?, ifExists: ExistingRunPolicy, parent: RunParent? = nil,
        startAt: Date? = nil, scheduledBy: ScheduleTick? = nil, concurrencyKey: String? = nil, priority: Int = 0
    ) async throws -> WorkflowRunID {
        let runID = runID ?? .random()
        try Identifier.validate(runID.rawValue, as: "run id")
        let registered = registry.workflow(workflowID)
        let flow = RunFlow(
            concurrencyKey: concurrencyKey, keyLimit: registered?.concurrencyPerKey, workflowLimit: registered?.concurrency,
            priority: priority, rates: registered?.rateScopes(key: concurrencyKey) ?? [])
        try flow.validate()
        // The run's spans, however much later and wherever they execute, are children of this one.
        let stored = try await withSpan("hookflow.trigger", context: .current ?? .topLevel, ofKind: .producer) { span in
            span.attributes["hookflow.run_id"] = runID.rawValue
            span.attributes["hookflow.workflow"] = workflowID
            return try await store.createRun(
                runID: runID, workflowID: workflowID, input: input, traceContext: currentTraceContext(), parent: parent,
                workflowVersion: registered?.version ?? 1, startAt: startAt, scheduledBy: scheduledBy, flow: flow,
                now: now())
        }
        guard stored.workflowID == workflowID else {
            throw WorkflowRunConflictError(
                runID: runID, existingWorkflowID: stored.workflowID, requestedWorkflowID: workflowID)
        }
        if !stored.created, ifExists == .requireSameInput, stored.input != input {
            throw WorkflowRunConflictError(
                runID: runID, existingWorkflowID: stored.workflowID, requestedWorkflowID: workflowID, inputDiffers: true)
        }
        var logger = self.logger
        logger[metadataKey: "hookflow.run_id"] = "\(runID)"
        logger[metadataKey: "hookflow.workflow"] = "\(workflowID)"
        if let parent { logger[metadataKey: "hookflow.parent_run_id"] = "\(parent.runID)" }
        if let scheduledBy { logger[metadataKey: "hookflow.schedule"] = "\(scheduledBy.name)" }
        if stored.status == .queued { logger[metadataKey: "hookflow.queued"] = "true" }
        if stored.created {
            logger.info("run triggered")
            metrics.increment(.runsTriggered, [("workflow", workflowID)])
        } else {
            logger.debug("run already exists; trigger ignored")
        }
        // A run that never started is scheduled again: the first trigger may have failed after its commit.
        // The key is the run id, so the transport wakes it once however often this happens.
        if stored.status == .pending {
            try await transport.schedule(runID, workflowID: workflowID, at: nil, key: runID.rawValue)
        } else if stored.status == .sleeping, stored.created {
            // A delayed start, or one a rate limit put off: woken when it is due, as a sleep is.
            let start = flow.rates.isEmpty ? startAt : try await store.run(runID)?.wakeAt ?? startAt
            if let start {
                try await transport.schedule(runID, workflowID: workflowID, at: start, key: Self.wakeKey(runID, start))
            }
        }
        return runID
    }

    // MARK: Events

    /// Delivers an event: every run waiting for `key` in ``StepManager/waitForEvent(_:key:as:timeout:)``
    /// resumes with `payload`, and a run that reaches such a wait later receives it at once.
    /// Returns the runs that were woken.
    @discardableResult
    public func notify(key: String, payload: some Encodable & Sendable) async throws -> [WorkflowRunID] {
        try Identifier.validate(key, as: "event key")
        let woken = try await store.deliverEvent(key: key, payload: JSONCoding.encode(payload), now: now())
        logger.info("event delivered", metadata: ["hookflow.event": "\(key)", "hookflow.woken": "\(woken.count)"])
        for run in woken {
            try await transport.schedule(
                run.runID, workflowID: run.workflowID, at: nil, key: "\(run.runID):event:\(UUID().uuidString)")
        }
        return woken.map(\.runID)
    }

    /// Writes a checkpoint through the store, with error messages made storable
    /// (no NUL, bounded): the one way the engine commits. A commit that finds the run's
    /// cancellation asked for interrupts the invocation (``LeaseBook``).
    func commit(
        runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, spawning: RunSpawn? = nil
    ) async throws {
        var step = step
        if let message = step?.errorMessage { step?.errorMessage = StoredText.errorMessage(message) }
        var transition = transition
        if case .fail(let stepID, let error) = transition {
            transition = .fail(stepID: stepID, error: StoredText.errorMessage(error))
        }
        let cancelRequested = try await metrics.time(.checkpointDuration) {
            try await store.commit(runID: runID, owner: owner, step: step, transition: transition, spawning: spawning, now: now())
        }
        // A commit that ends the invocation (released, finished) leaves nothing to interrupt.
        switch transition {
        case .keepRunning, .suspend: if cancelRequested { leases.markCancelled(owner: owner) }
        case .release, .complete, .fail, .cancel: break
        }
    }
}
