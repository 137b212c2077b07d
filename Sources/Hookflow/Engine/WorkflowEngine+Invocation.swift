import Foundation
import Logging

extension WorkflowEngine {
    /// Executes one invocation of a run leased to `owner`, then schedules what comes next;
    /// returns how it ended, and the error of scheduling, if that failed.
    func execute(
        _ run: RunRecord, owner: String, earlyBy: TimeInterval = 0, shouldStop: @escaping @Sendable () -> Bool
    ) async -> (InvocationOutcome, (any Error)?) {
        let stop: @Sendable () -> Bool = { [shutdown] in shutdown.isReached(.stopping) || shouldStop() }
        return await execute(run, owner: owner, earlyBy: earlyBy, stop: stop)
    }

    private func execute(
        _ run: RunRecord, owner: String, earlyBy: TimeInterval, stop shouldStop: @escaping @Sendable () -> Bool
    ) async -> (InvocationOutcome, (any Error)?) {
        var logger = self.logger
        logger[metadataKey: "hookflow.run_id"] = "\(run.runID)"
        logger[metadataKey: "hookflow.workflow"] = "\(run.workflowID)"
        let workflow = [("workflow", run.workflowID)]
        // The invocation before this one ended without finishing (its process died, or its lease ran out).
        if run.unfinishedInvocations > 1 { metrics.increment(.leaseTakeovers, workflow) }
        let ended = await withSpan("hookflow.invocation", context: traceContext(of: run), ofKind: .consumer) { span in
            span.attributes["hookflow.run_id"] = run.runID.rawValue
            span.attributes["hookflow.workflow"] = run.workflowID
            let ended = await invocation(of: run, owner: owner, earlyBy: earlyBy, shouldStop: shouldStop, logger: logger)
            span.attributes["hookflow.outcome"] = "\(ended.outcome)"
            if ended.outcome == .failed { span.setStatus(.init(code: .error)) }
            return ended
        }
        var retryAt: Date?
        if ended.outcome == .storeUnavailable {
            retryAt = await backOff(
                run, owner: owner, error: ended.storeError ?? "the store could not be written", logger: logger)
        }
        switch ended.outcome {
        case .completed: metrics.increment(.runsCompleted, workflow)
        case .failed: metrics.increment(.runsFailed, workflow)
        case .cancelled: metrics.increment(.runsCancelled, workflow)
        default: break
        }
        var scheduling: (any Error)?
        do {
            try await reschedule(run, after: ended.outcome, retryAt: retryAt, mayHaveChildren: ended.mayHaveChildren)
        } catch {
            scheduling = error
        }
        configuration.onInvocationEnd?(run.runID, ended.outcome)
        return (ended.outcome, scheduling)
    }

    /// The transport key of the run's wake-up at `date`: one message per wake time, however
    /// often it is scheduled (a redelivery, a stale message that finds the run asleep).
    static func wakeKey(_ runID: WorkflowRunID, _ date: Date) -> String {
        "\(runID):wake:\(HookflowTime.milliseconds(since1970: date))"
    }

    /// How an invocation ended, and the store's error when it could not write.
    struct Ended {
        var outcome: InvocationOutcome
        var storeError: String?
        /// Whether the run may have started children, whose cancellation may follow its end; an
        /// invocation that reached no child step knows it has none.
        var mayHaveChildren = true
    }

    private func invocation(
        of run: RunRecord, owner: String, earlyBy: TimeInterval, shouldStop: @escaping @Sendable () -> Bool,
        logger: Logger
    ) async -> Ended {
        if run.unfinishedInvocations > configuration.maxUnfinishedInvocations {
            // A poison pill: each invocation crashed its process or hit a store error that recurs.
            let message =
                "the run's last \(run.unfinishedInvocations - 1) invocations ended without progress "
                + "(each crashed its process, lost its lease or could not write to the store)"
                + (run.lastInvocationError.map { "; the store said: \($0)" } ?? "")
            return await fail(run, owner: owner, stepID: nil, message: message, logger: logger)
        }
        guard let workflow = registry.workflow(run.workflowID) else {
            let error = UnknownWorkflowError(workflowID: run.workflowID, registered: registry.ids)
            return await fail(run, owner: owner, stepID: nil, message: error.description, logger: logger)
        }
        let deadline = workflow.executionTimeout.map { HookflowTime.date(run.createdAt, plus: $0) }
        if let deadline, deadline <= now() {
            return await fail(run, owner: owner, stepID: nil, message: Self.timedOut(workflow), logger: logger)
        }
        let cached = histories.take(run.runID, version: run.historyVersion)
        var history: [StepRecord] = []
        if cached == nil {
            do {
                history = try await store.steps(of: run.runID)
            } catch {
                logger.error("could not load the run's steps: \(error)")
                return Ended(outcome: .storeUnavailable, storeError: "loading its steps: \(error)")
            }
        }
        if cached == nil, history.isEmpty, run.unfinishedInvocations == 1 {
            let waited = max(0, now().timeIntervalSince(run.createdAt))
            metrics.record(.triggerToStart, [("workflow", run.workflowID)], HookflowTime.duration(seconds: waited))
        }
        let steps = StepManager(
            engine: self, run: run, owner: owner, history: history, cached: cached, retryPolicy: workflow.retryPolicy,
            logger: logger, earlyBy: earlyBy, deadline: deadline, hasFailureHandler: workflow.hasFailureHandler,
            shouldStop: shouldStop)
        leases.track(
            run.runID, owner: owner, until: run.leaseUntil ?? leaseEnd(from: now()), now: now(),
            cancellable: run.cancelRequestedAt == nil)
        defer { leases.untrack(owner: owner) }
        var ended = await invoke(workflow, run: run, owner: owner, steps: steps, logger: logger)
        if ended.outcome == .storeUnavailable, ended.storeError == nil { ended.storeError = steps.storeError }
        ended.mayHaveChildren = steps.reachedChildStep
        configuration.replayLog?.unreached(steps.unreachedSteps)
        if case .suspended = ended.outcome, leases.interruption(owner: owner) == .cancelled {
            // Cancelled as it went to sleep: a sleeping run is cancelled at once.
            ended = await cancelSuspended(run, logger: logger) ?? ended
        }
        if case .suspended = ended.outcome, let kept = steps.history(claimedAt: run.historyVersion) {
            histories.keep(run.runID, kept)
        }
        return ended
    }

    private func invoke(
        _ workflow: RegisteredWorkflow, run: RunRecord, owner: String, steps: StepManager, logger: Logger
    ) async -> Ended {
        let output: String
        do {
            output = try await executeWhileLeased(workflow, run: run, steps: steps)
        } catch {
            if let ended = await steps.finish() { return Ended(outcome: ended) }
            if error is LeaseLostError { return Ended(outcome: .leaseLost) }
            if steps.cancellationDelivered {
                return await endCancelled(run, owner: owner, after: error, steps: steps, logger: logger)
            }
            if let next = error as? ContinueAsNew { return await continueAsNew(run, owner: owner, next, logger: logger) }
            let failure = (error as? RunFailing)?.failure
            return await fail(
                run, owner: owner, stepID: failure?.stepID, message: steps.withHandlerFailure(failure?.message ?? String(describing: error)),
                logger: logger)
        }
        if let ended = await steps.finish() { return Ended(outcome: ended) }
        if steps.cancellationDelivered { return await endCancelled(run, owner: owner, after: nil, steps: steps, logger: logger) }
        do {
            try await commit(runID: run.runID, owner: owner, step: nil, transition: .complete(result: output))
        } catch is LeaseLostError {
            return Ended(outcome: .leaseLost)
        } catch {
            // The run did complete: leave it leased, to be finished again after the lease, rather than fail it.
            logger.error("could not record the run's completion: \(error)")
            return Ended(outcome: .storeUnavailable, storeError: "recording its completion: \(error)")
        }
        logger.info("run completed")
        return Ended(outcome: .completed)
    }

    /// How the body of an invocation ended, or why it was cancelled.
    private enum BodyEnd: Sendable {
        case returned(String)
        case leaseLost
        case abandoned
        /// An operator cancelled the run.
        case cancelRequested
        /// The grace period of a cancelled run's compensating steps ran out.
        case graceExpired
        /// The run's execution timeout ran out.
        case timedOut

        var isReturned: Bool {
            if case .returned = self { return true }
            return false
        }
    }

    /// Runs the body, cancelled as soon as its lease is lost, its run is cancelled, a cancelled
    /// run's grace period runs out, or a shutdown gives it up.
    private func executeWhileLeased(_ workflow: RegisteredWorkflow, run: RunRecord, steps: StepManager) async throws -> String {
        try await withThrowingTaskGroup(of: BodyEnd.self) { group in
            group.addTask { .returned(try await workflow.execute(run.input, steps)) }
            group.addTask {
                await self.leases.waitForInterruption(owner: steps.owner) == .cancelled ? .cancelRequested : .leaseLost
            }
            if run.cancelRequestedAt != nil {
                // From the start of the invocation that delivers the cancellation (a run handed back by a
                // worker that died may be claimed a lease later).
                let deadline = HookflowTime.date(now(), plus: configuration.cancellationGracePeriod)
                group.addTask { await self.sleep(until: deadline) ? .graceExpired : .abandoned }
            }
            if let deadline = steps.deadline {
                group.addTask { await self.sleep(until: deadline) ? .timedOut : .abandoned }
            }
            group.addTask {
                await self.shutdown.wait(for: .abandoned)
                return .abandoned
            }
            defer { group.cancelAll() }
            var first: BodyEnd?
            do {
                first = try await group.next()
            } catch where Task.isCancelled {
                first = .abandoned
            }
            // A cancelled invocation (its service was cancelled) gives its run back as a shutdown would.
            if Task.isCancelled, first?.isReturned != true { first = .abandoned }
            switch first {
            case .returned(let output)?:
                return output
            case .abandoned?:
                // The run is handed back before the body is cancelled and awaited: a body that ignores
                // cancellation keeps its task, not its run.
                await steps.abandon()
                throw CancellationError()
            case .cancelRequested?:
                // Handed back at once, its current step unwritten, to an invocation that delivers the
                // cancellation at that step; the body's task is cancelled.
                await steps.abandon(because: "the run was cancelled; handing it back to deliver the cancellation")
                throw CancellationError()
            case .timedOut?:
                await steps.endWhileRunning(
                    .fail(stepID: nil, error: Self.timedOut(workflow)), outcome: .failed,
                    warning: "execution timeout ran out; failing the run while its step still runs")
                throw CancellationError()
            case .graceExpired?:
                await steps.endCancelled(
                    reason: "cancelled by an operator; its compensating steps were cut short after the grace period "
                        + "of \(configuration.cancellationGracePeriod)")
                throw CancellationError()
            case .leaseLost?, nil:
                // Lost: nothing more of this invocation is written; the body is cancelled and awaited.
                steps.loseLease()
                throw LeaseLostError(runID: run.runID)
            }
        }
    }

    func fail(
        _ run: RunRecord, owner: String, stepID: String?, message: String, logger: Logger
    ) async -> Ended {
        do {
            try await commit(runID: run.runID, owner: owner, step: nil, transition: .fail(stepID: stepID, error: message))
            logger.error("run failed: \(StoredText.errorMessage(message))")
            return Ended(outcome: .failed)
        } catch is LeaseLostError {
            return Ended(outcome: .leaseLost)
        } catch {
            logger.error("could not record the run's failure (\(StoredText.errorMessage(message))): \(error)")
            return Ended(outcome: .storeUnavailable, storeError: "recording its failure: \(error)")
        }
    }

    /// After an invocation that could not write: notes why, and keeps the run unclaimed for a
    /// back-off that doubles with each such invocation (from one lease duration, at most 10 minutes);
    /// returns when the run may be tried again.
    private func backOff(_ run: RunRecord, owner: String, error: String, logger: Logger) async -> Date {
        let backoff = Backoff(first: configuration.leaseDuration, limit: .seconds(600))
        let retryAt = HookflowTime.date(now(), plus: backoff.delay(afterFailures: max(run.unfinishedInvocations, 1)))
        do {
            try await store.recordInvocationFailure(
                runID: run.runID, owner: owner, error: StoredText.errorMessage(error), retryAt: retryAt)
        } catch {
            logger.warning("could not note the invocation's failure either: \(error)")
        }
        return retryAt
    }

    /// Tells the transport when to invoke the run next.
    private func reschedule(
        _ run: RunRecord, after outcome: InvocationOutcome, retryAt: Date?, mayHaveChildren: Bool
    ) async throws {
        let date: Date?
        let key: String
        switch outcome {
        case .storeUnavailable:
            // Tried again after the back-off (a later lease expiry is the fallback when even that was not noted).
            guard let retryAt else { return }
            date = retryAt
            key = "\(run.runID):retry:\(run.unfinishedInvocations)"
        case .suspended(let until):
            date = until
            key = Self.wakeKey(run.runID, until)
        case .released:
            date = nil
            key = "\(run.runID):resume:\(UUID().uuidString)"
        case .completed, .failed, .cancelled:
            await settleFamily(ofEnded: run, mayHaveChildren: mayHaveChildren)
            return
        case .leaseLost: return
        }
        try await transport.schedule(run.runID, workflowID: run.workflowID, at: date, key: key)
    }
}
