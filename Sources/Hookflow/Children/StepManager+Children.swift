import Foundation

/// What becomes of a child run when its parent is cancelled, or ends before the child does.
public enum ParentCancellationPolicy: Sendable {
    /// The child is cancelled with its parent.
    case cascade
    /// The child runs on alone.
    case abandon
}

extension StepManager {
    /// Starts a run of `workflow` as a child of this run and waits durably for its output.
    ///
    /// The parent holds no task while the child runs: it suspends, and the child's end wakes it.
    /// The child's run id is derived from this run's and the step's (`"<run id>:<step id>"`), so
    /// a crash between the start and its checkpoint never starts a second child. A child that
    /// fails or is cancelled throws ``ChildWorkflowError``, which a replay throws again.
    ///
    /// ```swift
    /// let receipt = try await ctx.step.invoke("charge-card", ChargeCard.self, input: .init(orderID: order.id))
    /// ```
    public func invoke<W: Workflow>(
        _ id: String, _ workflow: W.Type, input: W.Input, onParentCancel: ParentCancellationPolicy = .cascade
    ) async throws -> W.Output {
        let record = try await begin(id, kind: .child)
        if let record, record.status == .completed {
            return try await output(of: W.self, record, step: id)
        }
        if record == nil { try await stopIfRequested() }
        try deliverCancellation(suspending: true)
        let now = engine.now()
        let sequence = record?.sequence ?? allocateSequence()
        let startedChild: WorkflowRunID
        if let record, let started = try? JSONCoding.decode(ChildStepResult.self, from: record.result ?? "") {
            startedChild = started.runID
        } else {
            startedChild = try await startChild(id, W.self, input: input, policy: onParentCancel, sequence: sequence)
        }
        var child = startedChild
        var childRun: RunRecord?
        do {
            childRun = try await engine.store.run(child)
            // A child that continued as new goes on in its successor.
            while let run = childRun, let successor = ContinuedAs.successor(of: run) {
                child = successor
                childRun = try await engine.store.run(successor)
            }
        } catch {
            throw self.record(storeError: error)
        }
        var step = StepRecord(
            stepID: id, kind: .child, status: .waiting, attempts: 1, sequence: sequence,
            wakeAt: HookflowTime.date(now, plus: ChildRuns.recheckInterval), eventKey: ChildRuns.eventKey(of: child),
            startedAt: record.map { $0.startedAt ?? $0.executedAt } ?? now, executedAt: now)
        // A child deleted meanwhile (a clean-up of finished runs) ends the wait as a failure.
        let ended = childRun.map { $0.status.isFinished } ?? true
        guard ended else {
            step.result = try JSONCoding.encode(ChildStepResult(runID: child, workflowID: W.id))
            if record == nil {
                logger.info("step waiting for its child run", metadata: ["hookflow.step": "\(id)", "hookflow.child_run_id": "\(child)"])
            }
            // Waiting for this child already: nothing to write again, the run only goes back to sleep.
            let wake = step.wakeAt!
            let unchanged = record?.status == .waiting && record?.eventKey == step.eventKey
            throw await end(step: unchanged ? nil : step, transition: .suspend(wakeAt: wake), outcome: .suspended(until: wake))
        }
        var outcome = ChildStepResult(runID: child, workflowID: W.id, status: childRun?.status ?? .failed)
        if let childRun, childRun.status == .completed {
            outcome.output = try childRun.result.map { try JSONCoding.decode(JSON.self, from: $0) } ?? .null
        } else {
            outcome.error = childRun.map { $0.errorMessage ?? $0.status.rawValue } ?? "the child run no longer exists (it was deleted)"
        }
        step.status = .completed
        step.result = try JSONCoding.encode(outcome)
        try await checkpoint(step)
        logger.info(
            "step's child run ended",
            metadata: ["hookflow.step": "\(id)", "hookflow.child_run_id": "\(child)", "hookflow.status": "\(outcome.status ?? .failed)"])
        return try await output(of: W.self, step, step: id)
    }

    /// Starts a run of `workflow` as a child of this run without waiting for it, and returns its
    /// run id. Started once: a replay returns the same id.
    ///
    /// ```swift
    /// let receiptRun = try await ctx.step.start("email-receipt", EmailReceipt.self, input: receipt)
    /// ```
    @discardableResult
    public func start<W: Workflow>(
        _ id: String, _ workflow: W.Type, input: W.Input, onParentCancel: ParentCancellationPolicy = .abandon
    ) async throws -> WorkflowRunID {
        let record = try await begin(id, kind: .child)
        if let record, record.status == .completed {
            return try await decode(ChildStepResult.self, record).runID
        }
        try await stopIfRequested()
        try deliverCancellation(suspending: false)
        let now = engine.now()
        let sequence = record?.sequence ?? allocateSequence()
        let child = try await startChild(id, W.self, input: input, policy: onParentCancel, sequence: sequence)
        try await checkpoint(StepRecord(
            stepID: id, kind: .child, status: .completed,
            result: try JSONCoding.encode(ChildStepResult(runID: child, workflowID: W.id)), attempts: 1,
            sequence: sequence, startedAt: now, executedAt: engine.now()))
        logger.info("step started a child run", metadata: ["hookflow.step": "\(id)", "hookflow.child_run_id": "\(child)"])
        return child
    }

    /// Creates the child run of step `id` (unless a crashed invocation did), after checking that
    /// its workflow is registered and that the run is not nested too deep; a failed check fails the run.
    private func startChild<W: Workflow>(
        _ id: String, _ workflow: W.Type, input: W.Input, policy: ParentCancellationPolicy, sequence: Int
    ) async throws -> WorkflowRunID {
        let child = ChildRuns.childRunID(parent: runID, stepID: id)
        var problem: String?
        if engine.registry.workflow(W.id) == nil {
            problem = "step '\(id)' cannot start a child run: " + UnknownWorkflowError(workflowID: W.id, registered: engine.registry.ids).description
        } else if (try? Identifier.validate(child.rawValue, as: "child run id")) == nil {
            problem = "step '\(id)' cannot start a child run: its id '\(StoredText.shown(child.rawValue))' (the run id, ':', the step id) "
                + "is longer than \(Identifier.maximumBytes) bytes; use a shorter step id"
        } else if try await depth() >= engine.configuration.maxChildDepth {
            problem = ChildDepthLimitError(runID: runID, stepID: id, limit: engine.configuration.maxChildDepth).description
        }
        if let problem {
            let now = engine.now()
            let failed = StepRecord(
                stepID: id, kind: .child, status: .failed, errorMessage: problem, attempts: 1, sequence: sequence,
                startedAt: now, executedAt: now)
            throw await end(step: failed, transition: .fail(stepID: id, error: problem), outcome: .failed)
        }
        do {
            _ = try await engine.createRun(
                workflowID: W.id, input: JSONCoding.encode(input), runID: child, ifExists: .returnExisting,
                parent: RunParent(runID: runID, cancelsWithParent: policy == .cascade))
        } catch let error as WorkflowRunConflictError {
            let message = "step '\(id)' cannot start its child run: \(error)"
            throw await end(step: nil, transition: .fail(stepID: id, error: message), outcome: .failed)
        } catch let error as ChildRunsUnsupportedError {
            let message = "step '\(id)' cannot start its child run: \(error)"
            throw await end(step: nil, transition: .fail(stepID: id, error: message), outcome: .failed)
        } catch {
            throw record(storeError: error)
        }
        return child
    }

    /// How many parents this run has above it.
    private func depth() async throws -> Int {
        var depth = 0
        var next = parent?.runID
        while let ancestor = next, depth < engine.configuration.maxChildDepth {
            depth += 1
            do {
                next = try await engine.store.run(ancestor)?.parent?.runID
            } catch {
                throw record(storeError: error)
            }
        }
        return depth
    }

    /// The output of a completed child step, or its ``ChildWorkflowError``: one decoding, as a replay
    /// of many children does it for each.
    private func output<W: Workflow>(of workflow: W.Type, _ record: StepRecord, step id: String) async throws -> W.Output {
        let outcome = try await decode(ChildStepOutcome<W.Output>.self, record)
        guard outcome.status == .completed else {
            throw ChildWorkflowError(
                childRunID: outcome.runID, workflowID: outcome.workflowID, status: outcome.status ?? .failed,
                message: outcome.error ?? "no error recorded")
        }
        if let output = outcome.output { return output }
        // An output of JSON null reads back as absent.
        var null = record
        null.result = "null"
        return try await decode(W.Output.self, null)
    }
}
