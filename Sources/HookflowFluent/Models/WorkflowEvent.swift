import FluentKit
import Foundation

/// An event delivered with `WorkflowEngine.notify(key:payload:)`, kept for waits that start after it.
public final class WorkflowEvent: Model, @unchecked Sendable {
    public static let schema = "hookflow_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "key") public var key: String
    /// The payload as JSON text.
    @Field(key: "payload") public var payload: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
