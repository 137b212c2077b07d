import Foundation

/// How invocations get scheduled: the seam between the engine and a queue.
///
/// The engine calls it after a run became runnable in the store: on trigger, on
/// suspension until a wake time, and on release. The local transport wakes an
/// in-process worker or arms its timer; a message queue would publish a message.
public protocol WorkflowTransport: Sendable {
    /// `runID` is runnable now (`date == nil`) or from `date` on.
    ///
    /// `key` identifies this wake-up: scheduling the same key twice (a retried trigger)
    /// must wake the run once. A message queue uses it as its deduplication id.
    func schedule(_ runID: WorkflowRunID, workflowID: String, at date: Date?, key: String) async throws

    /// The transport's own work beside the engine (workers, a timer, a sweeper), until the engine
    /// shuts down and that work has finished. ``HookflowService`` runs it.
    func run(engine: WorkflowEngine) async
}

extension WorkflowTransport {
    /// No work of its own: returns once the engine shuts down.
    public func run(engine: WorkflowEngine) async {
        await engine.waitUntilShuttingDown()
    }
}
