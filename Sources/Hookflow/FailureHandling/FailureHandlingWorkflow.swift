/// A workflow with a failure handler: ``onFailure(_:error:)`` runs once, durably, when a run
/// fails or is cancelled, before the run ends, as Upstash Workflow's `failureFunction` does.
///
/// The handler's steps are checkpointed in the run beside the body's (give them ids of their
/// own), so a crash in the middle of it resumes it rather than running it again. When the
/// handler fails too, the run fails with both errors; the handler is not run again.
///
/// ```swift
/// struct ProcessOrder: FailureHandlingWorkflow {
///     func run(_ ctx: WorkflowContext<Order>) async throws -> Receipt { … }
///
///     func onFailure(_ ctx: FailureContext<Order>, error: WorkflowError) async throws {
///         try await ctx.step.run("notify-support") { try await support.page("order \(ctx.data.id): \(error.message)") }
///     }
/// }
/// ```
///
/// Not for a run that could not be executed at all: one past its ``Workflow/executionTimeout``,
/// of a workflow no longer registered, or failed after its invocations kept crashing.
public protocol FailureHandlingWorkflow: Workflow {
    /// Runs once when a run fails or is cancelled; `error` says how.
    func onFailure(_ ctx: FailureContext<Input>, error: WorkflowError) async throws
}

/// What a failure handler sees of its run: the same as its body.
public typealias FailureContext<Input: Codable & Sendable> = WorkflowContext<Input>

/// How a run failed, as its failure handler is told.
public struct WorkflowError: Error, CustomStringConvertible, Sendable, Hashable {
    /// `failed` or `cancelled`.
    public let status: RunStatus
    /// The step that failed, when one did.
    public let stepID: String?
    /// The error, or why the run was cancelled.
    public let message: String

    public var description: String { message }
}

/// Unwinds the body of a run that failed, so that its failure handler runs before the failure
/// is written.
struct RunFailing: Error, CustomStringConvertible {
    let failure: WorkflowError

    var description: String { failure.message }
}
