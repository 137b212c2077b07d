import Foundation
import Logging

extension WorkflowEngine {
    /// Cancels the run `runID`. A run that is not executing (pending, asleep, waiting for an
    /// event, between retries) is cancelled at once. An executing run is handed back at once,
    /// its current step's task cancelled and its result not kept; the workflow then receives
    /// ``WorkflowCancelledError`` at that step, and may run compensating steps for up to
    /// ``Configuration/cancellationGracePeriod`` before the run ends `cancelled`. This works
    /// from any instance that shares the store: the executing one hears of it at its next
    /// checkpoint or lease extension. A finished run is left as it is
    /// (``CancellationOutcome/alreadyFinished(_:)``). Its unfinished children started with
    /// ``ParentCancellationPolicy/cascade`` are cancelled with it.
    ///
    /// Throws ``WorkflowRunNotFoundError`` when there is no such run.
    ///
    /// ```swift
    /// switch try await engine.cancel(runID) {
    /// case .cancelled, .requested: print("cancelling")
    /// case .alreadyFinished(let run): print("already \(run.status)")
    /// }
    /// ```
    @discardableResult
    public func cancel(_ runID: WorkflowRunID) async throws -> CancellationOutcome {
        try Identifier.validate(runID.rawValue, as: "run id")
        // A workflow with a failure handler is cancelled by an invocation, which runs the handler first.
        let handler = try await store.run(runID).flatMap { registry.workflow($0.workflowID)?.hasFailureHandler } ?? false
        guard let outcome = try await store.cancelRun(runID, now: now(), handingOver: handler) else {
            throw WorkflowRunNotFoundError(runID: runID)
        }
        var logger = self.logger
        logger[metadataKey: "hookflow.run_id"] = "\(runID)"
        logger[metadataKey: "hookflow.workflow"] = "\(outcome.run.workflowID)"
        switch outcome {
        case .cancelled(let run):
            logger.info("run cancelled")
            metrics.increment(.runsCancelled, [("workflow", outcome.run.workflowID)])
            await settleFamily(ofEnded: run)
        case .requested(let run):
            logger.info("run cancellation requested; it stops at its next step")
            leases.markCancelled(runID)
            if run.status == .pending {
                // Handed over to an invocation (its failure handler runs there).
                try await transport.schedule(runID, workflowID: run.workflowID, at: nil, key: "\(runID):cancel")
            }
            // A worker that died holding it leaves it to be claimed after its lease, as ever.
            await cancelChildren(of: runID)
        case .alreadyFinished(let run):
            logger.info("run not cancelled: it already finished", metadata: ["hookflow.status": "\(run.status)"])
        }
        return outcome
    }

    /// Ends a cancelled run whose body returned, or threw `error`, after the cancellation was delivered.
    func endCancelled(_ run: RunRecord, owner: String, after error: (any Error)?, steps: StepManager, logger: Logger) async -> Ended {
        var reason = CancellationOutcome.reasonWhileIdle
        if let error, !(error is WorkflowCancelledError), !(error is CancellationError) {
            reason += "; the workflow then threw: \(error)"
        }
        reason = steps.withHandlerFailure(reason)
        do {
            try await commit(runID: run.runID, owner: owner, step: nil, transition: .cancel(reason: StoredText.errorMessage(reason)))
            logger.info("run cancelled")
            return Ended(outcome: .cancelled)
        } catch is LeaseLostError {
            return Ended(outcome: .leaseLost)
        } catch {
            logger.error("could not record the run's cancellation: \(error)")
            return Ended(outcome: .storeUnavailable, storeError: "recording its cancellation: \(error)")
        }
    }

    /// Cancels a run that went to sleep as its cancellation was asked for; `nil` when it was not cancelled.
    func cancelSuspended(_ run: RunRecord, logger: Logger) async -> Ended? {
        do {
            guard case .cancelled? = try await store.cancelRun(run.runID, now: now()) else { return nil }
            logger.info("run cancelled")
            return Ended(outcome: .cancelled)
        } catch {
            logger.error("could not cancel the run as it went to sleep: \(error)")
            return nil
        }
    }

}
