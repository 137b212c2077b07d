/// The run that started a child run (``StepManager/invoke(_:_:input:onParentCancel:)`` or
/// ``StepManager/start(_:_:input:onParentCancel:)``), and what becomes of the child when it ends.
public struct RunParent: Sendable, Hashable {
    /// The parent run.
    public var runID: WorkflowRunID
    /// Whether the child is cancelled when its parent is cancelled or ends before it.
    public var cancelsWithParent: Bool

    public init(runID: WorkflowRunID, cancelsWithParent: Bool) {
        self.runID = runID
        self.cancelsWithParent = cancelsWithParent
    }
}
