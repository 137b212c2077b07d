/// An operation that needs its run in another state: retrying a run that has not failed.
public struct WorkflowRunStateError: Error, CustomStringConvertible {
    public let runID: WorkflowRunID
    /// Where the run stands.
    public let status: RunStatus
    /// What was asked (`retry`).
    public let operation: String
    /// The statuses the operation needs.
    public let expected: [RunStatus]

    public init(runID: WorkflowRunID, status: RunStatus, operation: String, expected: [RunStatus]) {
        self.runID = runID
        self.status = status
        self.operation = operation
        self.expected = expected
    }

    public var description: String {
        "cannot \(operation) run \(StoredText.shown(runID.rawValue)): it is \(status.rawValue), "
            + "not \(expected.map(\.rawValue).joined(separator: " or "))"
    }
}
