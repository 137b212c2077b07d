/// A run created in the same transaction as another run's last commit: the successor of a run
/// that continues as new (``WorkflowContext/continueAsNew(input:)``).
public struct RunSpawn: Sendable, Hashable {
    public var runID: WorkflowRunID
    public var workflowID: String
    /// The input, as JSON text.
    public var input: String
    public var traceContext: String?
    /// The parent it inherits, if any.
    public var parent: RunParent?
    /// The run it continues.
    public var continuedFrom: WorkflowRunID
    /// The version of the workflow's code that creates it.
    public var workflowVersion: Int
    /// The concurrency limits and priority it inherits: it takes over its predecessor's slot.
    public var flow: RunFlow

    public init(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        continuedFrom: WorkflowRunID, workflowVersion: Int = 1, flow: RunFlow = .unlimited
    ) {
        self.flow = flow
        self.workflowVersion = workflowVersion
        self.runID = runID
        self.workflowID = workflowID
        self.input = input
        self.traceContext = traceContext
        self.parent = parent
        self.continuedFrom = continuedFrom
    }
}
