/// What ``WorkflowEngine/cancel(_:)`` did to a run, with the run as it now stands.
public enum CancellationOutcome: Sendable, Hashable {
    /// The run was not executing (pending, asleep, waiting for an event, or between retries):
    /// it is cancelled now.
    case cancelled(RunRecord)
    /// The run is executing: its current step's task is cancelled, and the workflow receives
    /// ``WorkflowCancelledError`` at its next step; it becomes cancelled when its body ends,
    /// or when the grace period for compensating steps runs out.
    case requested(RunRecord)
    /// The run had already finished (completed, failed or cancelled): nothing changed.
    case alreadyFinished(RunRecord)

    /// The run as the cancellation left it.
    public var run: RunRecord {
        switch self {
        case .cancelled(let run), .requested(let run), .alreadyFinished(let run): run
        }
    }
}

extension CancellationOutcome {
    /// The error message of a run cancelled while it was not executing.
    public static let reasonWhileIdle = "cancelled by an operator"
}
