import Hookflow

/// The run a harness drove ended `failed`.
public struct WorkflowRunFailed: Error, CustomStringConvertible {
    public let runID: WorkflowRunID
    /// The run's `error_message`.
    public let message: String

    public var description: String { "run \(runID) failed: \(message)" }
}
