/// Where a run stands.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// Committed and waiting for a worker.
    case pending
    /// Leased to a worker that is executing it.
    case running
    /// Suspended until its wake time: a durable sleep or a retry back-off.
    case sleeping
    /// Finished with a result.
    case completed
    /// Finished with an error; see its dead letter entry.
    case failed
    /// Stopped by an operator (``WorkflowEngine/cancel(_:)``) before it finished.
    case cancelled

    /// Whether the run has ended: completed, failed or cancelled.
    public var isFinished: Bool { self == .completed || self == .failed || self == .cancelled }
}
