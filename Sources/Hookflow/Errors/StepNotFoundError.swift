/// A fork named a step its run never recorded.
public struct StepNotFoundError: Error, CustomStringConvertible {
    public let runID: WorkflowRunID
    public let stepID: String

    public init(runID: WorkflowRunID, stepID: String) {
        self.runID = runID
        self.stepID = stepID
    }

    public var description: String {
        "run \(StoredText.shown(runID.rawValue)) has no step \(StoredText.shown(stepID))"
    }
}
