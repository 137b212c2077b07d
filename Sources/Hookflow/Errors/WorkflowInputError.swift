/// A workflow's input does not decode into its `Input` type.
///
/// At trigger time nothing is stored; for a stored run (whose type changed since)
/// the run fails with this error and its input is kept in the dead letter entry.
public struct WorkflowInputError: Error, CustomStringConvertible {
    public let workflowID: String
    /// The run, when the input was already stored.
    public let runID: WorkflowRunID?
    public let reason: String

    public var description: String {
        let run = runID.map { " of run \($0)" } ?? ""
        // The reason quotes the input (key names), which comes from outside: escaped and bounded.
        return "input\(run) does not decode as the input of workflow '\(workflowID)': \(StoredText.shown(reason, limit: 300))"
    }
}
