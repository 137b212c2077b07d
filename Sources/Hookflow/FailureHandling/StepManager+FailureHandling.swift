/// Where a failure handler stands in an invocation.
struct FailureHandling {
    /// The failure the handler is to run for, once the body has unwound.
    var failure: WorkflowError?
    /// Whether the handler is running.
    var running = false
    /// The handler's own failure.
    var handlerError: String?
}

extension StepManager {
    /// A failure the run's handler takes over: the failed step (when given) is checkpointed as
    /// failed, so that a replay fails there again, and the body unwinds with ``RunFailing``.
    /// `nil` when the run has no handler, or its handler is running or has run already.
    func deferFailure(step: StepRecord?, stepID: String?, message: String) async -> (any Error)? {
        let take = state.withLock { state -> Bool in
            guard hasFailureHandler, !state.handling.running, state.handling.failure == nil, !state.abandoned else { return false }
            state.handling.failure = WorkflowError(status: .failed, stepID: stepID, message: message)
            return true
        }
        guard take else { return nil }
        if let step {
            do {
                try await engine.commit(
                    runID: runID, owner: owner, step: step,
                    transition: .keepRunning(leaseUntil: engine.leaseEnd(from: engine.now())))
                wrote(step)
            } catch {
                return record(storeError: error)
            }
        }
        logger.warning("run failing; its failure handler runs first", metadata: ["error": "\(StoredText.errorMessage(message))"])
        return RunFailing(failure: WorkflowError(status: .failed, stepID: stepID, message: message))
    }

    /// The failure the handler is to run for after the body threw `error`: a failure noted by a
    /// step, the body's own error, or the run's cancellation; `nil` for an invocation that ended
    /// otherwise (suspended, released, lost its lease, continued as new).
    func failureToHandle(after error: any Error) -> WorkflowError? {
        state.withLock { state in
            guard hasFailureHandler, !state.handling.running, !state.abandoned else { return nil }
            if let failure = state.handling.failure { return failure }
            if state.cancellation?.delivered == true {
                return WorkflowError(status: .cancelled, stepID: nil, message: CancellationOutcome.reasonWhileIdle)
            }
            if state.ended != nil || error is WorkflowSuspension || error is ContinueAsNew || error is CancellationError
                || error is LeaseLostError
            {
                return nil
            }
            let failure = WorkflowError(status: .failed, stepID: nil, message: String(describing: error))
            state.handling.failure = failure
            return failure
        }
    }

    /// The handler starts: its steps may begin.
    func beginFailureHandler() {
        state.withLock { $0.handling.running = true }
    }

    /// The handler threw `error`: the run fails with both errors.
    func failureHandlerFailed(_ error: any Error) {
        logger.error("the run's failure handler failed: \(error)")
        state.withLock { $0.handling.handlerError = String(describing: error) }
    }

    /// What the run's last error says: `message`, and the handler's failure when it failed.
    func withHandlerFailure(_ message: String) -> String {
        guard let handlerError = state.withLock({ $0.handling.handlerError }) else { return message }
        return "\(message); its failure handler failed too: \(handlerError)"
    }

    /// The failure a step noted for the handler, once the body has unwound.
    var deferredFailure: WorkflowError? { state.withLock { $0.handling.failure } }
}
