import Foundation

/// How one invocation of a run ended.
public enum InvocationOutcome: Sendable, Hashable {
    /// The workflow returned; its output is stored.
    case completed
    /// The run waits for a durable timer (a sleep or a retry back-off).
    case suspended(until: Date)
    /// The run was handed back unfinished (shutdown) for any worker to continue.
    case released
    /// The run failed and has a dead letter entry.
    case failed
    /// The run ended cancelled (``WorkflowEngine/cancel(_:)``).
    case cancelled
    /// Another worker holds the run now; nothing more was written.
    case leaseLost
    /// The store could not be written; the lease will expire and the run be retried.
    case storeUnavailable
}
