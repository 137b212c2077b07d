import FluentKit
import Foundation
import Hookflow

/// A run of a workflow, as a Fluent model, for apps that query runs with Fluent.
///
/// The engine writes this table through SQL on its hot path; the model maps the same columns.
public final class WorkflowRun: Model, @unchecked Sendable {
    public static let schema = "hookflow_runs"

    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "workflow_id") public var workflowID: String
    @Field(key: "status") public var status: RunStatus
    /// The input as JSON text.
    @Field(key: "data") public var data: String
    /// The output as JSON text.
    @OptionalField(key: "result") public var result: String?
    @OptionalField(key: "error_message") public var errorMessage: String?
    @OptionalField(key: "wake_at") public var wakeAt: Date?
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_until") public var leaseUntil: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @OptionalField(key: "completed_at") public var completedAt: Date?
    /// The trace context of the trigger, as the tracer propagates it.
    @OptionalField(key: "trace_context") public var traceContext: String?
    @OptionalField(key: "cancel_requested_at") public var cancelRequestedAt: Date?
    @Children(for: \.$run) public var steps: [StepExecution]

    public init() {}
}
