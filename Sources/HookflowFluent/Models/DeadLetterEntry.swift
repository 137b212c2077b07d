import FluentKit
import Foundation

/// A failed run, kept with its input and error until it is replayed.
public final class DeadLetterEntry: Model, @unchecked Sendable {
    public static let schema = "hookflow_dead_letters"

    @ID(key: .id) public var id: UUID?
    @Field(key: "run_id") public var runID: String
    @Field(key: "workflow_id") public var workflowID: String
    /// The step that failed, when a step failed.
    @OptionalField(key: "step_id") public var stepID: String?
    /// The run's input as JSON text.
    @Field(key: "data") public var data: String
    @Field(key: "error_message") public var errorMessage: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "replayed_at") public var replayedAt: Date?

    public init() {}
}
