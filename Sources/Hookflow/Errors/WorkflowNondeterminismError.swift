/// A replay reached a step that does not match the run's history, so stored
/// results cannot be trusted to belong to it. The run fails with this error.
public struct WorkflowNondeterminismError: Error, CustomStringConvertible {
    public let workflowID: String
    public let runID: WorkflowRunID
    public let stepID: String
    /// The kind recorded (or used first in this run).
    public let recordedKind: StepKind
    /// The kind the code asked for now.
    public let requestedKind: StepKind
    /// Whether the step id was used twice in one execution, rather than replayed with another kind.
    public let isDuplicate: Bool

    public var description: String {
        if isDuplicate {
            return "step '\(stepID)' of workflow '\(workflowID)' is used twice in run \(runID) "
                + "(first as \(recordedKind.rawValue), then as \(requestedKind.rawValue)); step ids must be unique within a run"
        }
        return "step '\(stepID)' of workflow '\(workflowID)' was recorded as \(recordedKind.rawValue) in run \(runID) "
            + "but the code now asks for \(requestedKind.rawValue); the workflow changed in a way its stored runs cannot replay"
    }
}
