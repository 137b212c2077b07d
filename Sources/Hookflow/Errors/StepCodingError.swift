/// A step's result could not be encoded for its checkpoint, or a stored result
/// no longer decodes into the type the code asks for.
public struct StepCodingError: Error, CustomStringConvertible {
    public let workflowID: String
    public let runID: WorkflowRunID
    public let stepID: String
    public let reason: String

    public var description: String {
        "step '\(stepID)' of workflow '\(workflowID)' in run \(runID): \(reason)"
    }
}
