import Foundation

/// An operator's cancellation of the run an invocation executes.
struct Cancellation {
    /// When it was asked for.
    var requestedAt: Date
    /// Whether a step has thrown ``WorkflowCancelledError`` in this invocation.
    var delivered = false
}

extension StepManager {
    /// Whether a step threw ``WorkflowCancelledError`` in this invocation: then the run ends
    /// cancelled. A run whose every step was checkpointed before the cancellation ends as its body does.
    var cancellationDelivered: Bool { state.withLock { $0.cancellation?.delivered == true } }

    /// Throws ``WorkflowCancelledError`` at the first step of a cancelled run that is not a
    /// replay, and at every sleep or wait (`suspending`): a cancelled run cannot suspend.
    /// The steps after the first, which compensate, run.
    func deliverCancellation(suspending: Bool) throws {
        let requestedAt = state.withLock { state -> Date? in
            guard let cancellation = state.cancellation, suspending || !cancellation.delivered else { return nil }
            state.cancellation?.delivered = true
            return cancellation.requestedAt
        }
        guard let requestedAt else { return }
        logger.info("delivering the run's cancellation to the workflow")
        throw WorkflowCancelledError(runID: runID, requestedAt: requestedAt)
    }
}

extension StepManager {
    /// The grace period of the run's compensating steps ran out: the run ends cancelled, and the
    /// body still unwinding writes nothing more.
    func endCancelled(reason: String) async {
        await endWhileRunning(
            .cancel(reason: reason), outcome: .cancelled,
            warning: "grace period for compensating steps ran out; cancelling the run while its step still runs")
    }

    /// Ends the run with `transition` while its body still runs (a grace period or an execution
    /// timeout ran out): the body still unwinding writes nothing more.
    func endWhileRunning(_ transition: RunTransition, outcome: InvocationOutcome, warning: String) async {
        state.withLock { state in
            state.abandoned = true
            state.suspension = nil
        }
        logger.warning("\(warning)")
        do {
            try await engine.commit(runID: runID, owner: owner, step: nil, transition: transition)
            state.withLock { $0.ended = outcome }
        } catch {
            _ = record(storeError: error)
            state.withLock { $0.ended = error is LeaseLostError ? .leaseLost : .storeUnavailable }
        }
    }
}
