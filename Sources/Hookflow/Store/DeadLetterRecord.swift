import Foundation

/// A failed run kept for inspection and replay.
public struct DeadLetterRecord: Sendable, Hashable {
    public var id: String
    public var runID: WorkflowRunID
    public var workflowID: String
    /// The step that failed, when a step failed (rather than the workflow's own code).
    public var stepID: String?
    /// The run's input as JSON text.
    public var input: String
    public var errorMessage: String
    public var createdAt: Date
    /// When the entry was replayed, if it was.
    public var replayedAt: Date?

    public init(
        id: String, runID: WorkflowRunID, workflowID: String, stepID: String?, input: String, errorMessage: String,
        createdAt: Date, replayedAt: Date? = nil
    ) {
        self.id = id
        self.runID = runID
        self.workflowID = workflowID
        self.stepID = stepID
        self.input = input
        self.errorMessage = errorMessage
        self.createdAt = createdAt
        self.replayedAt = replayedAt
    }
}
