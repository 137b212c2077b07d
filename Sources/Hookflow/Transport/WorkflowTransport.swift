import Foundation

/// How invocations get scheduled: the seam between the engine and a queue.
///
/// The engine calls it after a run became runnable in the store: on trigger, on
/// suspension until a wake time, and on release. The local transport wakes an
/// in-process worker or arms its timer; a message queue would publish a message.
public protocol WorkflowTransport: Sendable {
    /// `runID` is runnable now (`date == nil`) or from `date` on.
    func schedule(_ runID: WorkflowRunID, workflowID: String, at date: Date?) async throws
}
