import Foundation

/// What a checkpoint does to its run, written in the same transaction as the step.
public enum RunTransition: Sendable, Hashable {
    /// The run goes on in this invocation; its lease is extended to `leaseUntil` (never shortened).
    /// `nil` leaves the lease, and the run's row, as they are: a checkpoint soon after the lease
    /// was last extended writes only its step (resetting the count of unfinished invocations, when
    /// it is not 1 already).
    case keepRunning(leaseUntil: Date?)
    /// The run sleeps until `wakeAt` (a durable sleep or a retry back-off); the lease is released.
    case suspend(wakeAt: Date)
    /// The run goes back to `pending` for any worker (graceful shutdown); the lease is released.
    case release
    /// The run completed with `result` (JSON text).
    case complete(result: String)
    /// The run failed; a dead letter entry is written with `stepID` and `error`.
    case fail(stepID: String?, error: String)
    /// The run was cancelled by an operator; `reason` is kept as its error message. No dead letter.
    case cancel(reason: String)
}

extension RunTransition {
    /// The status the run ends in, for a transition that ends it.
    public var endStatus: RunStatus? {
        switch self {
        case .complete: .completed
        case .fail: .failed
        case .cancel: .cancelled
        case .keepRunning, .suspend, .release: nil
        }
    }
}
