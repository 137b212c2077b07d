/// A caller-chosen run id is already taken: by a run of another workflow, or by a run of
/// the same workflow with other input (the idempotency-key rule of payment APIs: the same
/// key with the same input returns the run; with other input it is a mistake).
public struct WorkflowRunConflictError: Error, CustomStringConvertible {
    public let runID: WorkflowRunID
    public let existingWorkflowID: String
    public let requestedWorkflowID: String
    /// Whether the workflow matched and only the input differed.
    public let inputDiffers: Bool

    public init(runID: WorkflowRunID, existingWorkflowID: String, requestedWorkflowID: String, inputDiffers: Bool = false) {
        self.runID = runID
        self.existingWorkflowID = existingWorkflowID
        self.requestedWorkflowID = requestedWorkflowID
        self.inputDiffers = inputDiffers
    }

    public var description: String {
        let id = StoredText.shown(runID.rawValue)
        if inputDiffers {
            return "run id \(id) already belongs to a run of workflow '\(existingWorkflowID)' with other input; "
                + "trigger with the same input to get that run, or choose another run id "
                + "(ifExists: .returnExisting returns the run whatever its input)"
        }
        return "run id \(id) already belongs to a run of workflow '\(existingWorkflowID)', "
            + "so it cannot start workflow '\(StoredText.shown(requestedWorkflowID))'"
    }
}

/// What a trigger with a run id that already exists does.
public enum ExistingRunPolicy: Sendable, Hashable {
    /// Returns the run when its input equals the trigger's; otherwise throws ``WorkflowRunConflictError``.
    case requireSameInput
    /// Returns the run whatever its input.
    case returnExisting
}
