import FluentKit

/// Notes when an operator asked to cancel a run that was executing, so that whichever
/// instance executes it stops it at its next step.
public struct AddHookflowCancellation: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowCancellation" }

    public func prepare(on database: any Database) async throws {
        try await database.schema(WorkflowRun.schema).field("cancel_requested_at", .datetime).update()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(WorkflowRun.schema).deleteField("cancel_requested_at").update()
    }
}
