import Foundation

/// Thrown by the next step of a run an operator cancelled while it was executing.
///
/// Catch it to undo what the run did, with more steps; they must finish within the engine's
/// ``WorkflowEngine/Configuration/cancellationGracePeriod``. A cancelled run cannot sleep or
/// wait for an event: those throw this error again. Whatever the body then returns or throws,
/// the run ends `cancelled`.
///
/// ```swift
/// do {
///     try await ctx.step.run("ship") { try await warehouse.ship(order) }
/// } catch is WorkflowCancelledError {
///     try await ctx.step.run("refund") { try await payments.refund(order) }
///     throw CancellationError()
/// }
/// ```
public struct WorkflowCancelledError: Error, CustomStringConvertible {
    public let runID: WorkflowRunID
    /// When the cancellation was asked for.
    public let requestedAt: Date

    public init(runID: WorkflowRunID, requestedAt: Date) {
        self.runID = runID
        self.requestedAt = requestedAt
    }

    public var description: String { "run \(StoredText.shown(runID.rawValue)) was cancelled" }
}
