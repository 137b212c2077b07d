/// Thrown by ``StepManager/invoke(_:_:input:onParentCancel:)`` when the child run failed or was
/// cancelled. It is checkpointed with the step, so a replay throws it again.
///
/// ```swift
/// do {
///     let receipt = try await ctx.step.invoke("charge", ChargeCard.self, input: card)
/// } catch let error as ChildWorkflowError {
///     ctx.logger.warning("charge \(error.childRunID) ended \(error.status): \(error.message)")
/// }
/// ```
public struct ChildWorkflowError: Error, CustomStringConvertible, Sendable {
    /// The child run.
    public let childRunID: WorkflowRunID
    /// The child's workflow.
    public let workflowID: String
    /// How the child ended: `failed` or `cancelled`.
    public let status: RunStatus
    /// The child's error, or why it was cancelled.
    public let message: String

    public var description: String {
        "child run \(StoredText.shown(childRunID.rawValue)) of workflow '\(workflowID)' \(status.rawValue): \(message)"
    }
}

/// A run nested this deep in child runs tried to start another (see
/// ``WorkflowEngine/Configuration/maxChildDepth``): most often a workflow that invokes itself.
public struct ChildDepthLimitError: Error, CustomStringConvertible, Sendable {
    /// The run that tried to start a child.
    public let runID: WorkflowRunID
    /// The step that would have started it.
    public let stepID: String
    /// The limit.
    public let limit: Int

    public var description: String {
        "step '\(stepID)' cannot start a child run: run \(StoredText.shown(runID.rawValue)) is already \(limit) "
            + "child runs deep, the limit (maxChildDepth); a workflow that invokes itself must stop recursing"
    }
}

/// A store that cannot keep child runs (stateless QStash mode) was asked to create one.
public struct ChildRunsUnsupportedError: Error, CustomStringConvertible, Sendable {
    /// Why the store cannot.
    public let reason: String

    public init(reason: String) { self.reason = reason }

    public var description: String { "child runs are not supported here: \(reason)" }
}

/// A child run's outcome as its parent's step checkpoints it.
struct ChildStepResult: Codable, Sendable {
    /// The child run.
    var runID: WorkflowRunID
    var workflowID: String
    /// How it ended; `nil` while it runs, or for a child started without waiting.
    var status: RunStatus?
    /// Its output, once completed.
    var output: JSON?
    /// Its error, once failed or cancelled.
    var error: String?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", workflowID = "workflow_id", status, output, error
    }
}

/// ``ChildStepResult`` read back with the child's output as its workflow's type.
struct ChildStepOutcome<Output: Decodable>: Decodable {
    var runID: WorkflowRunID
    var workflowID: String
    var status: RunStatus?
    var output: Output?
    var error: String?

    typealias CodingKeys = ChildStepResult.CodingKeys
}
