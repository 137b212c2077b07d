import FluentKit
import Foundation
import Hookflow

/// One step of a run: its checkpointed result, or its attempts so far.
public final class StepExecution: Model, @unchecked Sendable {
    public static let schema = "hookflow_steps"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "run_id") public var run: WorkflowRun
    @Field(key: "step_id") public var stepID: String
    @Field(key: "kind") public var kind: StepKind
    @Field(key: "status") public var status: StepStatus
    /// The result as JSON text, once completed.
    @OptionalField(key: "result") public var result: String?
    @OptionalField(key: "error_message") public var errorMessage: String?
    @Field(key: "attempts") public var attempts: Int
    /// The step's position in its run, from 0.
    @Field(key: "sequence") public var sequence: Int
    /// For a sleep: when it ends; for a wait: when it times out.
    @OptionalField(key: "wake_at") public var wakeAt: Date?
    /// For a wait: the key of the event it waits for.
    @OptionalField(key: "event_key") public var eventKey: String?
    @OptionalField(key: "started_at") public var startedAt: Date?
    @Field(key: "executed_at") public var executedAt: Date

    public init() {}
}
