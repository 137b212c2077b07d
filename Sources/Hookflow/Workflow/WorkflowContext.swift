import Logging

/// What a workflow's body sees of its run: the payload, the ids and the step manager.
public struct WorkflowContext<Input: Codable & Sendable>: Sendable {
    /// The payload the run was triggered with.
    public let data: Input
    /// The run being executed.
    public let runID: WorkflowRunID
    /// The workflow's ``Workflow/id``.
    public let workflowID: String
    /// Durable operations: `run`, `sleep`, `call`, `waitForEvent`, child runs and fan-out.
    public let step: StepManager
    /// A logger carrying `hookflow.run_id` and `hookflow.workflow` metadata.
    public let logger: Logger
}
