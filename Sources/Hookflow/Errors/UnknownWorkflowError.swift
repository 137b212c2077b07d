/// A trigger or a stored run names a workflow that is not registered.
public struct UnknownWorkflowError: Error, CustomStringConvertible {
    public let workflowID: String
    /// The ids that are registered, to spot a typo.
    public let registered: [String]

    public var description: String {
        let known = registered.isEmpty ? "none are registered" : "registered: \(registered.joined(separator: ", "))"
        return "unknown workflow '\(workflowID)' (\(known)); register it with app.hookflow.register(...)"
    }
}
