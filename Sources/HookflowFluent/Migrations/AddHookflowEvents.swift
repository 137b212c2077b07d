import FluentKit
import SQLKit

/// Adds the events table and the key a waiting step waits for.
public struct AddHookflowEvents: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowEvents" }

    public func prepare(on database: any Database) async throws {
        try await database.schema(StepExecution.schema)
            .field("event_key", .string)
            .update()
        try await database.schema(WorkflowEvent.schema)
            .id()
            .field("key", .string, .required)
            .field("payload", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "hookflow_steps_event_key").on(StepExecution.schema).column("event_key").run()
        try await sql.create(index: "hookflow_events_key").on(WorkflowEvent.schema).column("key").column("created_at")
            .run()
        try await sql.create(index: "hookflow_events_created_at").on(WorkflowEvent.schema).column("created_at").run()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(WorkflowEvent.schema).delete()
        try await database.schema(StepExecution.schema).deleteField("event_key").update()
    }
}
