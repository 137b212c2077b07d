import Foundation
import Logging

extension StepManager {
    /// The error that unwinds the body after a failed attempt: the run sleeps until the retry,
    /// or fails when the attempts are spent or the error is not retryable.
    func failed(
        _ id: String, kind: StepKind, sequence: Int, attempt: Int, started: Date, error: any Error, policy: RetryPolicy,
        logger: Logger
    ) async -> any Error {
        if inAbandonedBranch || error is BranchAbandoned { return BranchAbandoned() }
        if error is WorkflowSuspension || state.withLock({ $0.abandoned }) { return WorkflowSuspension() }
        if Task.isCancelled, ended == nil {
            // The invocation itself was cancelled (its service was): not the step's failure. The run is handed back.
            await abandon()
            return WorkflowSuspension()
        }
        switch ended {
        case nil: break
        // Beside a durable wait a failure still counts, unless it is the cancellation of the unwinding body.
        case .suspended? where !(error is CancellationError) && !Task.isCancelled: break
        default: return WorkflowSuspension()
        }
        let message = StoredText.errorMessage(String(describing: error))
        let now = engine.now()
        var step = StepRecord(
            stepID: id, kind: kind, status: .retrying, errorMessage: message, attempts: attempt, sequence: sequence,
            startedAt: started, executedAt: now)
        if Self.isNonRetryable(error) || attempt >= policy.maxAttempts {
            step.status = .failed
            let reason = "step '\(id)' failed after \(attempt) attempt\(attempt == 1 ? "" : "s"): \(message)"
            return await end(step: step, transition: .fail(stepID: id, error: reason), outcome: .failed, logger: logger)
        }
        // A server's Retry-After lengthens the wait, never shortens it.
        let retryAfter = (error as? HTTPCallError)?.retryAfter ?? 0
        let wake = HookflowTime.date(now, plusSeconds: max(policy.delay(afterAttempt: attempt), retryAfter))
        engine.metrics.increment(.stepRetries, [("workflow", workflowID), ("kind", kind.rawValue)])
        logger.warning(
            "step failed, retrying",
            metadata: ["hookflow.attempt": "\(attempt)", "hookflow.wake_at": "\(wake)", "error": "\(message)"])
        return await end(step: step, transition: .suspend(wakeAt: wake), outcome: .suspended(until: wake), logger: logger)
    }

    static func isNonRetryable(_ error: any Error) -> Bool {
        if error is NonRetryableError { return true }
        if let call = error as? HTTPCallError, !call.isRetryable { return true }
        return false
    }
}
