/// An operation named a run that does not exist (or was cleaned up).
public struct WorkflowRunNotFoundError: Error, CustomStringConvertible {
    public let runID: WorkflowRunID

    public init(runID: WorkflowRunID) { self.runID = runID }

    public var description: String { "no run \(StoredText.shown(runID.rawValue))" }
}
