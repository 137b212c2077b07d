/// A caller-chosen run id is already taken by a run of another workflow.
public struct WorkflowRunConflictError: Error, CustomStringConvertible {
    public let runID: WorkflowRunID
    public let existingWorkflowID: String
    public let requestedWorkflowID: String

    public var description: String {
        "run id \(runID) already belongs to a run of workflow '\(existingWorkflowID)', "
            + "so it cannot start workflow '\(requestedWorkflowID)'"
    }
}
