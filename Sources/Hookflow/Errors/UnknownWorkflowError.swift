/// A trigger or a stored run names a workflow that is not registered.
public struct UnknownWorkflowError: Error, CustomStringConvertible {
    public let workflowID: String
    /// The ids that are registered, to spot a typo.
    public let registered: [String]

    /// The workflow asked for and the ones registered, without advice.
    public var summary: String {
        let known = registered.isEmpty ? "none are registered" : "registered: \(registered.joined(separator: ", "))"
        return "unknown workflow '\(workflowID)' (\(known))"
    }

    public var description: String { "\(summary); register it in the engine's WorkflowRegistry" }
}
