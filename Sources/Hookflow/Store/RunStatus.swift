/// Where a run stands.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// Committed and waiting for a worker.
    case pending
    /// Committed and waiting for a concurrency slot (``RunFlow``): admitted, it becomes pending.
    case queued
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

extension RunStatus {
    /// The statuses of a comma-separated list (`failed,sleeping`; empty: none), or an error
    /// that names `parameter` and the name that is not a status.
    public static func list(_ text: String, parameter: String = "status") throws -> Set<RunStatus> {
        var statuses: Set<RunStatus> = []
        for name in text.split(separator: ",", omittingEmptySubsequences: true) {
            guard let status = RunStatus(rawValue: String(name)) else {
                throw InvalidParameterError(
                    parameter: parameter, value: String(name), reason: "is not one of \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            statuses.insert(status)
        }
        return statuses
    }
}
